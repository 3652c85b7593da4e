using Jpki.Card.Apdu;

namespace Jpki.Card.Tests.Applications;

public sealed class SecurityStateTests : IClassFixture<IssuedCardFixture>
{
    private readonly TestCard _card;

    public SecurityStateTests(IssuedCardFixture fixture)
    {
        _card = fixture.Card;
        _card.Card.Reset();
    }

    private string SignApdu => Apdus.Sign(Apdus.Sha256DigestInfo([1, 2, 3]));

    [Fact]
    public void Verify_SurvivesSelectEf()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(Apdus.SelectAuthPin);
        _card.Sw(Apdus.VerifyAuth1234);
        _card.Sw("00A4020C02000A");
        _card.Sw("00A4020C020006");
        _card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.Success, _card.Sw(SignApdu));
    }

    [Fact]
    public void SelectAp_Again_ClearsVerifiedPins()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(Apdus.SelectAuthPin);
        _card.Sw(Apdus.VerifyAuth1234);
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, _card.Sw(SignApdu));
    }

    [Fact]
    public void Reset_ClearsVerifiedPinsAndSelection()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(Apdus.SelectSignPin);
        _card.Sw(Apdus.VerifySignAbc123);
        _card.Card.Reset();
        Assert.Equal(StatusWords.FileNotFound, _card.Sw(Apdus.SelectSignKey));
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(Apdus.SelectSignKey);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, _card.Sw(SignApdu));
    }

    [Fact]
    public void SelectTextAp_ClearsJpkiPins()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(Apdus.SelectAuthPin);
        _card.Sw(Apdus.VerifyAuth1234);
        _card.Sw(Apdus.SelectText);
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, _card.Sw(SignApdu));
    }

    [Fact]
    public void Sign_InTextAp_Refused()
    {
        _card.Sw(Apdus.SelectText);
        Assert.Equal(StatusWords.NoCurrentEf, _card.Sw(SignApdu)); // P2 = 80 names the current EF; none is selected
        _card.Sw("00A4020C020011");
        Assert.Equal(StatusWords.IncompatibleFile, _card.Sw(SignApdu)); // a PIN EF is no key
    }
}
