using Jpki.Card.Apdu;
using Jpki.Card.Applications;

namespace Jpki.Card.Tests.Applications;

public sealed class TextApTests
{
    [Fact]
    public void ReadMyNumber_NeedsCardPin_ThenTlvWithFiller()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020001");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("00B0000011"));
        card.Sw("00A4020C020011");
        Assert.Equal(StatusWords.Success, card.Sw("002000800435363738"));
        card.Sw("00A4020C020001");
        var (sw, data) = card.Send("00B0000011");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(17, data.Length);
        Assert.Equal(new byte[] { 0xFF, 0x10, 0x0C }, data[..3]);
        Assert.Equal(new byte[] { 0xFF, 0xFF }, data[15..]);
        Assert.Equal(TestCard.MyNumber, TextApEncoding.DecodeMyNumber(data));
    }

    [Fact]
    public void ReadBasicFour_AfterCardPin_DecodesTags32To37()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020011");
        card.Sw("002000800435363738");
        card.Sw("00A4020C020002");
        var (sw, data) = card.Send("00B0000000");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(new byte[] { 0xFF, 0x20 }, data[..2]);
        Assert.Equal(TestCard.Holder, TextApEncoding.DecodeBasicFour(data));
    }

    [Fact]
    public void CardPin_WrongThreeTimes_Blocks()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020011");
        Assert.Equal(0x63C2, card.Sw("002000800430303030"));
        Assert.Equal(0x63C1, card.Sw("002000800430303030"));
        Assert.Equal(0x63C0, card.Sw("002000800430303030"));
        Assert.Equal(StatusWords.PinBlocked, card.Sw("002000800435363738"));
    }

    [Theory]
    [InlineData("00A4020C020018")]
    [InlineData("00A4020C02000A")]
    [InlineData("00A4020C020017")]
    public void SelectEf_JpkiFilesInTextAp_6A82(string apdu)
    {
        using var card = TestCard.Create(issue: false);
        card.Sw(Apdus.SelectText);
        Assert.Equal(StatusWords.FileNotFound, card.Sw(apdu));
    }
}
