using FsCheck.Xunit;

namespace Jpki.Authority.Contracts.Tests;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("0x00ab", "AB")]
    [InlineData("ab:cd", "ABCD")]
    [InlineData("f", "0F")]
    [InlineData("0000", "00")]
    [InlineData(" 0A1B ", "0A1B")]
    public void CertificateSerial_TryParse_Normalises(string text, string hex)
    {
        Assert.True(CertificateSerial.TryParse(text, out var serial));
        Assert.Equal(hex, serial.Hex);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("0x")]
    [InlineData("0102030405060708090A0B0C0D0E0F101112131415")]
    public void CertificateSerial_TryParse_RefusesNonSerials(string? text) =>
        Assert.False(CertificateSerial.TryParse(text, out _));

    [Property]
    public bool CertificateSerial_BigEndianRoundTrip(byte[] octets)
    {
        if (octets is null || octets.Length is 0 or > 20)
        {
            return true;
        }

        var serial = CertificateSerial.FromBigEndian(octets);
        var back = CertificateSerial.Parse(serial.Hex);
        return back == serial && Convert.ToHexString(octets).TrimStart('0').Length <= serial.Hex.Length;
    }

    [Fact]
    public void CertificateSerial_TopBitSet_IntegerContentGetsLeadingZero() =>
        Assert.Equal(new byte[] { 0, 0x80, 1 }, CertificateSerial.Parse("8001").ToIntegerContent());

    [Fact]
    public void Default_IdentifiersAreNotValues()
    {
        Assert.Throws<InvalidOperationException>(() => default(CertificateSerial).Hex);
        Assert.Throws<InvalidOperationException>(() => default(HolderId).Value);
        Assert.Throws<InvalidOperationException>(() => default(IssuanceRequestId).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0000b")]
    public void HolderAndCardId_BadText_Refused(string text)
    {
        Assert.False(HolderId.TryCreate(text, out _));
        Assert.False(CardId.TryCreate(text, out _));
        Assert.Throws<ArgumentException>(() => new HolderId(text));
    }

    [Fact]
    public void IssuanceRequestId_New_IsValidAndDistinct()
    {
        var a = IssuanceRequestId.New();
        var b = IssuanceRequestId.New();
        Assert.NotEqual(a, b);
        Assert.True(IssuanceRequestId.TryCreate(a.Value, out var again));
        Assert.Equal(a, again);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has space in it")]
    [InlineData("ünïcode-key-123")]
    public void IssuanceRequestId_BadKey_Refused(string key) => Assert.False(IssuanceRequestId.TryCreate(key, out _));
}
