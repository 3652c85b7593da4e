using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Issuer.Surface;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.Tests.Applications;

/// <summary>The next-generation profile: ECDSA P-384 keys on the card, the PUK, the 6-digit 照合番号.</summary>
public sealed class NextGenerationCardTests
{
    private const string NextGen = "nextgen";
    private const string Puk = "24681357";
    private static readonly byte[] Message = "OpenJpki signs this with P-384"u8.ToArray();

    [Theory]
    [InlineData(CertificateKind.Authentication, TestCard.AuthPin)]
    [InlineData(CertificateKind.Signature, TestCard.SignPassword)]
    public void Sign_Sha384Hash_RawRs_VerifiesWithTheP384Certificate(CertificateKind kind, string pin)
    {
        using var card = TestCard.Create(NextGen);
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        Assert.True(client.Verify(kind == CertificateKind.Signature ? PinKind.SignaturePassword : PinKind.AuthenticationPin, pin).Verified);
        var signature = client.SignEcdsaHash(kind, SHA384.HashData(Message));

        Assert.Equal(96, signature.Length);
        using var certificate = X509CertificateLoader.LoadCertificate(
            kind == CertificateKind.Signature ? card.Certificates!.Signature : card.Certificates!.Authentication);
        using var key = certificate.GetECDsaPublicKey()!;
        Assert.Equal(384, key.KeySize);
        Assert.True(key.VerifyData(Message, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        signature[10] ^= 1;
        Assert.False(key.VerifyData(Message, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Sign_BadLengthsAndRsaModes_Refused_WithoutThePin6982()
    {
        using var card = TestCard.Create(NextGen);
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw(Apdus.Sign(Convert.ToHexString(new byte[48]))));
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.WrongLength, card.Sw(Apdus.Sign(Convert.ToHexString(new byte[19]))));
        Assert.Equal(StatusWords.WrongLength, card.Sw(Apdus.Sign(Convert.ToHexString(new byte[65]))));
        Assert.Equal(StatusWords.WrongP1P2, card.Sw("802A0180" + "30" + Convert.ToHexString(new byte[48]) + "00"));
        Assert.Equal(StatusWords.Success, card.Send(Apdus.Sign(Convert.ToHexString(SHA384.HashData(Message)))).Sw);
    }

    [Fact]
    public void IssuerChannel_AnswersTheUncompressedPoint_OfTheCertifiedKey()
    {
        using var card = TestCard.Create(NextGen);
        using var transport = new InProcessTransport(card.Card);
        using var managementKey = TestCard.ManagementKey();
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), managementKey, TestCard.CardNumber);
        var key = issuer.ReadPublicKey(CertificateKind.Signature);

        Assert.Equal(CardKeyAlgorithm.EcdsaP384, key.Algorithm);
        Assert.Equal(97, key.Answer.Length);
        Assert.Equal(0x04, key.Answer.Span[0]);
        using var certificate = X509CertificateLoader.LoadCertificate(card.Certificates!.Signature);
        Assert.Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo(), key.SubjectPublicKeyInfo);
        Assert.Equal("1.2.840.10045.4.3.3", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA384
        Assert.Throws<InvalidOperationException>(() => key.ToRsaParameters());
    }

    [Fact]
    public void Profile_TwoApplications_AtrOurs_KeysP384()
    {
        var profile = CardProfile.Find(NextGen)!;
        Assert.Equal(CardKeyAlgorithm.EcdsaP384, profile.KeyAlgorithm);
        Assert.True(profile.HasPuk);
        Assert.Equal([CardApplication.Jpki, CardApplication.Text], profile.Applications);
        Assert.False(CardProfile.MyNumberCard.HasPuk);
        Assert.Equal(CardKeyAlgorithm.Rsa2048, CardProfile.MyNumberCard.KeyAlgorithm);
    }

    [Theory]
    [InlineData(PinKind.AuthenticationPin, TestCard.AuthPin, "4321")]
    [InlineData(PinKind.SignaturePassword, TestCard.SignPassword, "NEWPASS9")]
    public void Puk_UnblocksALockedPin_AndSetsANewOne(PinKind kind, string pin, string newPin)
    {
        using var card = TestCard.Create(NextGen);
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        var wrong = kind == PinKind.AuthenticationPin ? "0000" : "WRONG00";
        while (!client.Verify(kind, wrong).Blocked)
        {
        }

        Assert.True(client.Verify(kind, pin).Blocked);

        // The PUK is optional: a card issued without one answers 6985.
        Assert.Equal(StatusWords.ConditionsNotSatisfied, Assert.Throws<CardStatusException>(() => client.UnblockWithPuk(kind, Puk)).StatusWord);
        using (var managementKey = TestCard.ManagementKey())
        {
            new CardIssuerClient(client, managementKey, TestCard.CardNumber).SetPuk(Puk);
        }

        var miss = client.UnblockWithPuk(kind, "11112222");
        Assert.Equal((false, 9), (miss.Verified, miss.TriesLeft));
        Assert.True(client.Verify(kind, pin).Blocked);

        Assert.True(client.UnblockWithPuk(kind, Puk).Verified);
        Assert.True(client.Verify(kind, pin).Verified);

        // A new PIN that breaks the rule is refused before the PUK is tried; a good one replaces the PIN.
        Assert.Equal(StatusWords.WrongData, Assert.Throws<CardStatusException>(() => client.UnblockWithPuk(kind, Puk, "12")).StatusWord);
        Assert.True(client.UnblockWithPuk(kind, Puk, newPin).Verified);
        Assert.False(client.Verify(kind, pin).Verified);
        Assert.True(client.Verify(kind, newPin).Verified);
    }

    [Fact]
    public void Puk_TenWrongTries_BlocksThePuk_AndTodaysCardHasNone()
    {
        using var card = TestCard.Create(NextGen);
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        using (var managementKey = TestCard.ManagementKey())
        {
            new CardIssuerClient(client, managementKey, TestCard.CardNumber).SetPuk(Puk);
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.False(client.UnblockWithPuk(PinKind.AuthenticationPin, "99999999").Verified);
        }

        Assert.True(client.UnblockWithPuk(PinKind.AuthenticationPin, Puk).Blocked);
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(StatusWords.WrongLength, card.Sw("002C018004" + "31323334"));
        Assert.Equal(StatusWords.WrongP1P2, card.Sw("002C028008" + Convert.ToHexString("24681357"u8)));

        using var today = TestCard.Create();
        today.Sw(Apdus.SelectJpki);
        today.Sw(Apdus.SelectAuthPin);
        Assert.Equal(StatusWords.InsNotSupported, today.Sw("002C018008" + Convert.ToHexString("24681357"u8)));
    }

    [Fact]
    public void SurfaceAp_SixDigitVerificationNumber_OpensTheMyNumber_TwelveDigitsRefused()
    {
        using var card = TestCard.Create(NextGen);
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        var code = VerificationCodes.BirthDate(TestCard.Holder.DateOfBirth);
        Assert.Equal(6, code.Length);
        Assert.Equal(StatusWords.FileNotFound, client.Send(CommandApdu.Encode(0x00, 0xA4, 0x04, 0x0C, CardAids.Of(CardApplication.Visual))).StatusWord);
        client.SelectApplication(CardApplication.Text);
        client.SelectFile(CardFiles.TextCodeA);
        Assert.Equal(0x63CA, client.Send(CommandApdu.Encode(0x00, 0x20, 0x00, 0x80)).StatusWord);
        Assert.Equal(0x63C9, client.Send(CommandApdu.Encode(0x00, 0x20, 0x00, 0x80, System.Text.Encoding.ASCII.GetBytes(TestCard.MyNumber))).StatusWord);
        Assert.Equal(StatusWords.Success, client.Send(CommandApdu.Encode(0x00, 0x20, 0x00, 0x80, System.Text.Encoding.ASCII.GetBytes(code))).StatusWord);
        client.SelectFile(CardFiles.TextMyNumber);
        Assert.Contains(TestCard.MyNumber, System.Text.Encoding.ASCII.GetString(client.ReadCurrent(17)), StringComparison.Ordinal);
    }
}
