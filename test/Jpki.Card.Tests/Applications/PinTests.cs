using Jpki.Card.Apdu;

namespace Jpki.Card.Tests.Applications;

public sealed class PinTests
{
    [Fact]
    public void Verify_EmptyData_AnswersTriesLeft()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C3, card.Sw(Apdus.RetryQuery));
        card.Sw(Apdus.SelectSignPin);
        Assert.Equal(0x63C5, card.Sw(Apdus.RetryQuery));
        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020011");
        Assert.Equal(0x63C3, card.Sw(Apdus.RetryQuery));
    }

    [Fact]
    public void Verify_AfterSuccess_RetryQueryStillAnswers63Cx()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(StatusWords.Success, card.Sw(Apdus.VerifyAuth1234));
        Assert.Equal(0x63C3, card.Sw(Apdus.RetryQuery));
    }

    [Fact]
    public void Verify_WrongThreeTimes_63C2_63C1_63C0_Then6984EvenWithRightPin()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C2, card.Sw(Apdus.VerifyAuth9999));
        Assert.Equal(0x63C1, card.Sw(Apdus.VerifyAuth9999));
        Assert.Equal(0x63C0, card.Sw(Apdus.VerifyAuth9999));
        Assert.Equal(StatusWords.PinBlocked, card.Sw(Apdus.VerifyAuth1234));
        Assert.Equal(StatusWords.PinBlocked, card.Sw(Apdus.VerifyAuth9999));
        Assert.Equal(0x63C0, card.Sw(Apdus.RetryQuery));
        card.Reopen();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(StatusWords.PinBlocked, card.Sw(Apdus.VerifyAuth1234)); // blocked survives a power cycle
    }

    [Fact]
    public void Verify_SignPasswordFiveTries_BlocksAfterFifth()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectSignPin);
        for (var left = 4; left >= 0; left--)
        {
            Assert.Equal(0x63C0 | left, card.Sw("0020008006585858313233"));
        }

        Assert.Equal(StatusWords.PinBlocked, card.Sw(Apdus.VerifySignAbc123));
    }

    [Fact]
    public void Verify_CorrectAfterFailures_ResetsCounter()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C2, card.Sw(Apdus.VerifyAuth9999));
        Assert.Equal(0x63C1, card.Sw(Apdus.VerifyAuth9999));
        Assert.Equal(StatusWords.Success, card.Sw(Apdus.VerifyAuth1234));
        Assert.Equal(0x63C3, card.Sw(Apdus.RetryQuery));
    }

    [Fact]
    public void Verify_FailuresCountAcrossSessions()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C2, card.Sw(Apdus.VerifyAuth9999));
        card.Reopen();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C2, card.Sw(Apdus.RetryQuery));
    }

    [Theory]
    [InlineData("00200180", StatusWords.WrongP1P2)]
    [InlineData("002000A0", StatusWords.WrongP1P2)]
    [InlineData("00200000", StatusWords.WrongP1P2)]
    public void Verify_BadP1P2_6A86(string apdu, ushort expected)
    {
        using var card = TestCard.Create(issue: false);
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(expected, card.Sw(apdu));
    }

    [Fact]
    public void Verify_OnNonPinEfOrWithoutAp_Refused()
    {
        using var card = TestCard.Create(issue: false);
        Assert.Equal(StatusWords.FileNotFound, card.Sw(Apdus.RetryQuery));
        card.Sw(Apdus.SelectJpki);
        Assert.Equal(StatusWords.NoCurrentEf, card.Sw(Apdus.RetryQuery));
        card.Sw("00A4020C02000A");
        Assert.Equal(StatusWords.IncompatibleFile, card.Sw(Apdus.RetryQuery));
    }

    [Fact]
    public void Verify_WithSfiInP2_TargetsThatPinEf()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        Assert.Equal(0x63C3, card.Sw("00200098"));
        Assert.Equal(StatusWords.Success, card.Sw("002000980431323334"));
    }

    [Fact]
    public void Verify_UnsetPin_6985()
    {
        using var card = TestCard.Create(issue: false);
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C3, card.Sw(Apdus.RetryQuery));
        Assert.Equal(StatusWords.ConditionsNotSatisfied, card.Sw(Apdus.VerifyAuth1234));
    }

    [Fact]
    public void ChangePin_AfterVerify_NewPinWorksOldFails()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("002401800439383736"));
        Assert.Equal(StatusWords.Success, card.Sw(Apdus.VerifyAuth1234));
        Assert.Equal(StatusWords.Success, card.Sw("002401800439383736"));
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C2, card.Sw(Apdus.VerifyAuth1234));
        Assert.Equal(StatusWords.Success, card.Sw("002000800439383736"));
    }

    [Theory]
    [InlineData("0024018003313233")] // 3 digits
    [InlineData("00240180053132333435")] // 5 digits
    [InlineData("002401800431323341")] // a letter
    public void ChangePin_BreaksPolicy_6A80(string apdu)
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        Assert.Equal(StatusWords.WrongData, card.Sw(apdu));
    }

    [Fact]
    public void ChangePin_SignPasswordLowercase_6A80()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectSignPin);
        card.Sw(Apdus.VerifySignAbc123);
        Assert.Equal(StatusWords.WrongData, card.Sw("0024018006616263313233")); // "abc123": the card compares bytes
        Assert.Equal(StatusWords.Success, card.Sw("0024018006585955313233"));
    }

    [Fact]
    public void ChangePin_VerifiedOtherPinEf_6982()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectSignPin);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("0024018006585955313233"));
        Assert.Equal(StatusWords.WrongP1P2, card.Sw("0024008006585955313233"));
    }
}
