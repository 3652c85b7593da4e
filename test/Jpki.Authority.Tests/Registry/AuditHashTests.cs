using System.Security.Cryptography;
using System.Text;
using Jpki.Authority.Audit;

namespace Jpki.Authority.Tests.Registry;

public sealed class AuditHashTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 5, 1, 18, 0, 0, TimeSpan.FromHours(9)).AddTicks(1234567);

    [Fact]
    public void Compute_MatchesTheDocumentedEncoding()
    {
        // Built by hand from docs/registry.md so that an outside verifier can reimplement the chain.
        var expected = SHA256.HashData(Concat(
            Field("jpki-audit-v1"u8), Field("7"u8), Field("2026-05-01T09:00:00.1234560Z"u8), Field("staff-1"u8),
            Field("cert.revoke"u8), Field("0A1B"u8), Field(Encoding.UTF8.GetBytes("理由 1")), Field(new byte[32])));

        var actual = AuditHash.Compute(7, At, "staff-1", "cert.revoke", "0A1B", "理由 1", new byte[32]);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Compute_GoldenVector_IsStable()
    {
        var actual = AuditHash.Compute(1, At, "system", "ca.init", "sign", "{}", AuditHash.Genesis());

        // Also computed with Python's hashlib from the documented encoding.
        Assert.Equal("4262ea8d7dc70cb1695b9d8dd4e245f6e952f91991fb4cf8b9e0bbd97dd8ff77", Convert.ToHexStringLower(actual));
    }

    [Fact]
    public void Compute_FieldBoundariesMoved_GivesADifferentHash()
    {
        var a = AuditHash.Compute(1, At, "ab", "c", "s", "d", new byte[32]);
        var b = AuditHash.Compute(1, At, "a", "bc", "s", "d", new byte[32]);

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("12:" + "00000000000000000000000000000000000000000000000000000000000000ff", true)]
    [InlineData("0:" + "00000000000000000000000000000000000000000000000000000000000000ff", false)]
    [InlineData("12:00ff", false)]
    [InlineData("12", false)]
    [InlineData("x:" + "00000000000000000000000000000000000000000000000000000000000000ff", false)]
    [InlineData("12:" + "zz000000000000000000000000000000000000000000000000000000000000ff", false)]
    public void AuditHead_TryParse_AcceptsOnlySeqColonSha256Hex(string text, bool ok)
    {
        Assert.Equal(ok, AuditHead.TryParse(text, out var head));
        if (ok)
        {
            Assert.Equal(text, head!.ToString());
        }
    }

    private static byte[] Field(ReadOnlySpan<byte> value)
    {
        var field = new byte[4 + value.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(field, (uint)value.Length);
        value.CopyTo(field.AsSpan(4));
        return field;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
