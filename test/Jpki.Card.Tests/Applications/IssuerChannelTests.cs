using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.Tests.Applications;

public sealed class IssuerChannelTests
{
    [Theory]
    [InlineData("E446000002001700")] // generate
    [InlineData("E40E0000")] // erase
    [InlineData("E4D6000003010203")] // update
    [InlineData("E4440000")] // activate
    [InlineData("E42C0380")] // reset retry counter
    [InlineData("E42C02800431323334")] // set PIN
    [InlineData("E4B0000004")] // read back
    public void IssuerCommand_WithoutAuthentication_6982(string apdu)
    {
        using var card = TestCard.Create(issue: false);
        card.Sw(Apdus.SelectJpki);
        card.Sw("00A4020C020018");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw(apdu));
    }

    [Fact]
    public void IssuerCommand_WithoutAp_6A82()
    {
        using var card = TestCard.Create(issue: false);
        Assert.Equal(StatusWords.FileNotFound, card.Sw("E484000010"));
    }

    [Fact]
    public void ExternalAuthenticate_WrongKey_6300AndStillLocked()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var wrong = CardManagementKey.Derive(new byte[32], TestCard.CardNumber);
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), wrong, TestCard.CardNumber);
        var error = Assert.Throws<CardStatusException>(() => issuer.Authenticate(Jpki.Card.Applications.CardApplication.Jpki));
        Assert.Equal(StatusWords.AuthenticationFailed, error.StatusWord);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("E40E0000"));
    }

    [Fact]
    public void ExternalAuthenticate_WithoutChallenge_6985_AndChallengeIsSingleUse()
    {
        using var card = TestCard.Create(issue: false);
        card.Sw(Apdus.SelectJpki);
        Assert.Equal(StatusWords.ConditionsNotSatisfied, card.Sw("E482000020" + new string('0', 64)));
        var (sw, challenge) = card.Send("E484000010");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(16, challenge.Length);
        using var key = TestCard.ManagementKey();
        var cryptogram = key.ComputeCryptogram(challenge, TestCard.CardNumber);
        Assert.Equal(StatusWords.Success, card.Sw("E482000020" + Convert.ToHexString(cryptogram)));
        Assert.Equal(StatusWords.ConditionsNotSatisfied, card.Sw("E482000020" + Convert.ToHexString(cryptogram)));
    }

    [Fact]
    public void ResetRetryCounter_BlockedPin_Unblocks()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        for (var i = 0; i < 3; i++)
        {
            card.Sw(Apdus.VerifyAuth9999);
        }

        Assert.Equal(StatusWords.PinBlocked, card.Sw(Apdus.VerifyAuth1234));
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var client = new JpkiCardClient(transport);
        new CardIssuerClient(client, key, TestCard.CardNumber).ResetRetryCounter(PinKind.AuthenticationPin);
        Assert.Equal(3, client.GetTriesLeft(PinKind.AuthenticationPin));
        Assert.True(client.Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);
    }

    [Fact]
    public void SetPin_BadPolicy_6A80()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);
        var error = Assert.Throws<CardStatusException>(() => issuer.SetPin(PinKind.SignaturePassword, "123456"));
        Assert.Equal(StatusWords.WrongData, error.StatusWord);
    }

    [Fact]
    public void GenerateKeyPair_ReturnsModulusOfTheCardKey_ReadBackSame()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);
        var generated = issuer.GenerateKeyPair(CertificateKind.Authentication);
        Assert.Equal(256, generated.Answer.Length);
        Assert.Equal(generated.Answer.ToArray(), issuer.ReadPublicKey(CertificateKind.Authentication).Answer.ToArray());
        Assert.Equal(generated.Answer.ToArray(), ((CardRsaKey)card.Card.Processor.KeyOf(0x0017)!).PublicParameters.Modulus);
    }

    [Fact]
    public void UpdateBinary_GapOrUnwritableEf_Refused()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);
        issuer.Authenticate(Jpki.Card.Applications.CardApplication.Jpki);
        card.Sw("00A4020C02000A");
        Assert.Equal(StatusWords.WrongOffset, card.Sw("E4D6000503010203"));
        Assert.Equal(StatusWords.Success, card.Sw("E4D6000003010203"));
        Assert.Equal(StatusWords.Success, card.Sw("E4D6000302AABB"));
        card.Sw("00A4020C020006");
        Assert.Equal(StatusWords.IncompatibleFile, card.Sw("E4D6000003010203"));
        card.Sw("00A4020C02000A");
        Assert.Equal(StatusWords.Success, card.Sw("E4D6000003010203"));
        Assert.Equal(StatusWords.Success, card.Sw("E4D6000302AABB"));
        Assert.Equal(StatusWords.Success, card.Sw("E4440000"));
        Assert.Equal(new byte[] { 1, 2, 3, 0xAA, 0xBB }, card.Send("00B0000000").Data);
        Assert.Equal(StatusWords.Success, card.Sw("E40E0001"));
        Assert.Equal(StatusWords.Success, card.Sw("E4440000"));
        Assert.Equal(new byte[] { 1 }, card.Send("00B0000000").Data);
    }

    [Fact]
    public void UpdateBinary_BeforeActivate_CardStillPresentsOldContent()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);
        issuer.WriteFile(Jpki.Card.Applications.CardApplication.Jpki, 0x000A, [1, 2, 3]);
        card.Sw("00A4020C02000A");
        Assert.Equal(StatusWords.Success, card.Sw("E40E0000"));
        Assert.Equal(StatusWords.Success, card.Sw("E4D6000002AABB"));
        Assert.Equal(new byte[] { 1, 2, 3 }, card.Send("00B0000000").Data);
        card.Reopen();
        card.Sw(Apdus.SelectJpki);
        card.Sw("00A4020C02000A");
        Assert.Equal(new byte[] { 1, 2, 3 }, card.Send("00B0000000").Data);
    }

    [Fact]
    public void ActivateFile_AfterSelectOrWithoutWrite_6985AndOldContentKept()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);
        issuer.WriteFile(Jpki.Card.Applications.CardApplication.Jpki, 0x000A, [1, 2, 3]);
        card.Sw("00A4020C02000A");
        Assert.Equal(StatusWords.ConditionsNotSatisfied, card.Sw("E4440000"));
        Assert.Equal(StatusWords.Success, card.Sw("E40E0000"));
        card.Sw("00A4020C02000A"); // selecting again abandons the staged write
        Assert.Equal(StatusWords.ConditionsNotSatisfied, card.Sw("E4440000"));
        Assert.Equal(new byte[] { 1, 2, 3 }, card.Send("00B0000000").Data);
        Assert.Equal(StatusWords.WrongP1P2, card.Sw("E4440100"));
        Assert.Equal(StatusWords.WrongLength, card.Sw("E444000001AA"));
    }

    [Fact]
    public void ActivateFile_PersistFails_6581AndOldContentKept()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);
        issuer.WriteFile(Jpki.Card.Applications.CardApplication.Jpki, 0x000A, [1, 2, 3]);
        card.Sw("00A4020C02000A");
        Assert.Equal(StatusWords.Success, card.Sw("E4D6000002AABB"));
        card.Card.Store.FaultHook = _ => throw new IOException("injected");
        Assert.Equal(StatusWords.MemoryFailure, card.Sw("E4440000"));
        card.Card.Store.FaultHook = null;
        Assert.Equal(new byte[] { 1, 2, 3 }, card.Send("00B0000000").Data);
    }

    [Fact]
    public void IssuerAuthentication_ClearedBySelectingApAgain()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);
        issuer.Authenticate(Jpki.Card.Applications.CardApplication.Jpki);
        card.Sw(Apdus.SelectJpki);
        card.Sw("00A4020C02000A");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("E4D6000003010203"));
    }

    [Fact]
    public void IssuerReadBack_SignatureCertificate_WithoutThePassword_WhileTheHolderSideStillNeedsIt()
    {
        using var card = TestCard.Create();
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var client = new JpkiCardClient(transport);
        var issuer = new CardIssuerClient(client, key, TestCard.CardNumber);

        Assert.Equal(card.Certificates!.Signature, issuer.ReadCertificate(CertificateSlot.Signature));
        Assert.Equal(card.Certificates.Authentication, issuer.ReadCertificate(CertificateSlot.Authentication));

        // The standard READ BINARY is unchanged: the signature certificate needs the holder's password.
        client.ForgetSelection();
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, Assert.Throws<CardStatusException>(() => client.ReadCertificate(CertificateSlot.Signature)).StatusWord);
    }

    [Fact]
    public void IssuerReadBack_EmptyEf_Null_KeyEfAndPinEf_Refused()
    {
        using var card = TestCard.Create(issue: false);
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber);

        Assert.Null(issuer.ReadCertificate(CertificateSlot.Authentication));

        // Authenticated, the issuer still reads no key EF (0017) nor PIN EF (0018): only what it may write.
        Assert.Equal(StatusWords.Success, card.Sw("00A4020C020017"));
        Assert.Equal(StatusWords.IncompatibleFile, card.Sw("E4B0000004"));
        Assert.Equal(StatusWords.Success, card.Sw("00A4020C020018"));
        Assert.Equal(StatusWords.IncompatibleFile, card.Sw("E4B0000004"));
    }
}
