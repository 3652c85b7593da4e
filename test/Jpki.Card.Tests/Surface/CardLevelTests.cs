using Jpki.Card.Apdu;

namespace Jpki.Card.Tests.Surface;

/// <summary>GET CHALLENGE, GET DATA and the GlobalPlatform ISD, as soltia48/myna-card found them on a real card (src/card.rs, src/mf.rs).</summary>
public sealed class CardLevelTests
{
    private const string SelectIsd = "00A4040C07A0000001510000";

    [Fact]
    public void GetChallenge_EveryLengthUpTo256_AtMfAndInAnAp()
    {
        using var card = TestCard.Create(issue: false);
        var (sw, first) = card.Send("0084000010");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(16, first.Length);
        Assert.NotEqual(first, card.Send("0084000010").Data);
        Assert.Single(card.Send("0084000001").Data);
        card.Sw(Apdus.SelectJpki);
        var (sw256, big) = card.Send("0084000000");
        Assert.Equal(StatusWords.Success, sw256);
        Assert.Equal(256, big.Length);
        Assert.Equal(StatusWords.WrongP1P2, card.Sw("0084000110"));
        Assert.Equal(StatusWords.WrongLength, card.Sw("00840000"));
    }

    [Fact]
    public void GetData_ContactAtrEverywhere_CardObjectsAtMfOnly()
    {
        using var card = TestCard.Create(issue: false);
        var (sw, atr) = card.Send("00CA5F5100");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal("E000FF8131FE4514", Convert.ToHexString(atr));
        Assert.Equal(atr[^1], atr[..^1].Aggregate((byte)0, (x, b) => (byte)(x ^ b))); // TCK, as myna-card's contact_atr checks
        Assert.Equal("TEST0001"u8.ToArray(), card.Send("00CA004500").Data);
        Assert.Equal("13221"u8.ToArray(), card.Send("00CA00F000").Data);
        Assert.Equal("20350331"u8.ToArray(), card.Send("00CA00F200").Data);
        Assert.Equal(0x6C08, card.Sw("00CA00F204"));
        Assert.Equal(StatusWords.DataNotFound, card.Sw("00CA00F800")); // the card-verifiable chain is not emulated
        card.Sw(Apdus.SelectJpki);
        Assert.Equal(StatusWords.Success, card.Sw("00CA5F5100"));
        Assert.Equal(StatusWords.DataNotFound, card.Sw("00CA004500"));
    }

    [Fact]
    public void SelectIsd_ReturnsToMfLevel_AndDropsVerifiedPins()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectSignPin);
        Assert.Equal(StatusWords.Success, card.Sw(Apdus.VerifySignAbc123));
        Assert.Equal(StatusWords.Success, card.Sw(SelectIsd));
        Assert.Equal("TEST0001"u8.ToArray(), card.Send("00CA004500").Data);
        card.Sw(Apdus.SelectJpki);
        card.Sw("00A4020C020001");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("00B0000004"));
    }

    [Fact]
    public void Verify_LongerThan16Bytes_SpendsNoTry()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectSignPin);
        Assert.Equal(StatusWords.WrongLength, card.Sw("0020008011" + Convert.ToHexString("ABCDEFGHIJKLMNOPQ"u8)));
        Assert.Equal(0x63C5, card.Sw(Apdus.RetryQuery));
        Assert.Equal(0x63C4, card.Sw("0020008010" + Convert.ToHexString("ABCDEFGHIJKLMNOP"u8))); // 16 bytes is a guess
    }

    [Fact]
    public void LastCommandIndicator_PhysicalCardRefuses6700() =>
        Assert.Equal(StatusWords.WrongLength, TestCardSw("80FC0000"));

    private static ushort TestCardSw(string apdu)
    {
        using var card = TestCard.Create(issue: false);
        return card.Sw(apdu);
    }
}
