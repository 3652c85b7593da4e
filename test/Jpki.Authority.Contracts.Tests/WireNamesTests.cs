using Jpki.Core.Identity;

namespace Jpki.Authority.Contracts.Tests;

public sealed class WireNamesTests
{
    [Fact]
    public void Kinds_EveryValue_RoundTripsThroughItsName()
    {
        Assert.Equal(["sign", "auth"], WireNames.KindNames);
        foreach (var kind in Enum.GetValues<CertificateKind>())
        {
            Assert.True(WireNames.TryParseKind(WireNames.Of(kind), out var back));
            Assert.Equal(kind, back);
        }
    }

    [Fact]
    public void Reasons_EveryValue_RoundTripsThroughItsName()
    {
        Assert.Equal(Enum.GetValues<RevocationReason>().Length, WireNames.ReasonNames.Count);
        foreach (var reason in Enum.GetValues<RevocationReason>())
        {
            Assert.True(WireNames.TryParseReason(WireNames.Of(reason), out var back));
            Assert.Equal(reason, back);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Sign")]
    [InlineData("signature")]
    [InlineData(" auth")]
    public void TryParseKind_UnknownName_RefusedNeverDefaulted(string? name) =>
        Assert.False(WireNames.TryParseKind(name, out _));

    [Theory]
    [InlineData("certificate-hold")]
    [InlineData("remove-from-crl")]
    [InlineData("KEY-COMPROMISE")]
    public void TryParseReason_NotAJpkiReason_Refused(string name) =>
        Assert.False(WireNames.TryParseReason(name, out _));

    [Fact]
    public void Of_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.Of((RevocationReason)6));
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.Of((CertificateKind)0));
    }

    [Fact]
    public void RevokeResults_RoundTrip()
    {
        foreach (var result in Enum.GetValues<RevokeResult>())
        {
            Assert.True(WireNames.TryParseRevokeResult(WireNames.Of(result), out var back));
            Assert.Equal(result, back);
        }
    }
}
