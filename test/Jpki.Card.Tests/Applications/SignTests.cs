using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Apdu;
using Jpki.Card.Applications;

namespace Jpki.Card.Tests.Applications;

public sealed class SignTests
{
    private static readonly byte[] Message = "OpenJpki signs this"u8.ToArray();

    [Fact]
    public void Sign_AuthKeyAfterAuthPin_VerifiesWithAuthCertificate()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectAuthKey);
        var (sw, signature) = card.Send(Apdus.Sign(Apdus.Sha256DigestInfo(Message)));
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(256, signature.Length);
        using var cert = X509CertificateLoader.LoadCertificate(card.Certificates!.Authentication);
        using var rsa = cert.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyData(Message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Sign_SignKeyTwiceAfterOneVerify_BothVerify()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectSignPin);
        card.Sw(Apdus.VerifySignAbc123);
        card.Sw(Apdus.SelectSignKey);
        using var cert = X509CertificateLoader.LoadCertificate(card.Certificates!.Signature);
        using var rsa = cert.GetRSAPublicKey()!;
        for (var i = 0; i < 2; i++)
        {
            var (sw, signature) = card.Send(Apdus.Sign(Apdus.Sha256DigestInfo(Message)));
            Assert.Equal(StatusWords.Success, sw);
            Assert.True(rsa.VerifyData(Message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }

    [Theory]
    [MemberData(nameof(TestCard.BothProfiles), MemberType = typeof(TestCard))]
    public void Sign_WithoutPin_6982(string profile)
    {
        using var card = TestCard.Create(profile);
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw(Apdus.Sign(Apdus.Sha256DigestInfo(Message))));
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectSignKey);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw(Apdus.Sign(Apdus.Sha256DigestInfo(Message))));
    }

    [Fact]
    public void Sign_ArbitraryBytesUpTo245_RawPkcs1Type1()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectAuthKey);
        var input = RandomNumberGenerator.GetBytes(245);
        var (sw, signature) = card.Send(Apdus.Sign(Convert.ToHexString(input)));
        Assert.Equal(StatusWords.Success, sw);

        using var cert = X509CertificateLoader.LoadCertificate(card.Certificates!.Authentication);
        var p = cert.GetRSAPublicKey()!.ExportParameters(false);
        var recovered = BigInteger.ModPow(
            new BigInteger(signature, true, true), new BigInteger(p.Exponent, true, true), new BigInteger(p.Modulus, true, true));
        var block = new byte[256];
        var bytes = recovered.ToByteArray(true, true);
        bytes.CopyTo(block, 256 - bytes.Length);
        Assert.Equal(0x00, block[0]);
        Assert.Equal(0x01, block[1]);
        Assert.All(block[2..10], b => Assert.Equal(0xFF, b));
        Assert.Equal(0x00, block[10]);
        Assert.Equal(input, block[11..]);

        Assert.Equal(StatusWords.WrongLength, card.Sw(Apdus.Sign(Convert.ToHexString(RandomNumberGenerator.GetBytes(246)))));
        Assert.Equal(StatusWords.WrongLength, card.Sw("802A008000"));
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x03)]
    [InlineData(0x06)]
    [InlineData(0xFF)]
    public void Sign_P1OtherThan00_6A86(byte p1)
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectAuthKey);
        var apdu = Convert.FromHexString(Apdus.Sign(Apdus.Sha256DigestInfo(Message)));
        apdu[2] = p1;
        Assert.Equal(StatusWords.WrongP1P2, card.Send(apdu).Sw);
    }

    [Fact]
    public void Sign_ExtendedModesBehindFlag_CardHashesAndWraps()
    {
        using var card = TestCard.Create();
        card.Reopen(TestCard.Options with { ExtendedSignModes = true });
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectAuthKey);
        using var cert = X509CertificateLoader.LoadCertificate(card.Certificates!.Authentication);
        using var rsa = cert.GetRSAPublicKey()!;
        var hash = SHA256.HashData(Message);
        var (sw3, s3) = card.Send("802A0380" + Convert.ToHexString([(byte)Message.Length, .. Message]) + "00");
        Assert.Equal(StatusWords.Success, sw3);
        Assert.True(rsa.VerifyData(Message, s3, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var (sw4, s4) = card.Send("802A048020" + Convert.ToHexString(hash) + "00");
        Assert.Equal(StatusWords.Success, sw4);
        Assert.True(rsa.VerifyHash(hash, s4, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.Equal(StatusWords.WrongLength, card.Sw("802A028003010203"));
        Assert.Equal(StatusWords.WrongP1P2, card.Sw("802A068003010203"));
    }

    [Fact]
    public void Sign_WithKeySfiInP2_NoSelectNeeded()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectSignPin);
        card.Sw(Apdus.VerifySignAbc123);
        var apdu = Convert.FromHexString(Apdus.Sign(Apdus.Sha256DigestInfo(Message)));
        apdu[3] = 0x9A;
        Assert.Equal(StatusWords.Success, card.Send(apdu).Sw);
    }

    [Fact]
    public void Sign_NoKeyGenerated_6985()
    {
        using var card = TestCard.Create(issue: false);
        using var key = TestCard.ManagementKey();
        using var transport = new Jpki.Card.Transport.InProcessTransport(card.Card);
        var issuer = new Jpki.Card.Issuer.CardIssuerClient(new Jpki.Card.Client.JpkiCardClient(transport), key, TestCard.CardNumber);
        issuer.SetPin(Core.Pins.PinKind.AuthenticationPin, "1234");
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.ConditionsNotSatisfied, card.Sw(Apdus.Sign(Apdus.Sha256DigestInfo(Message))));
    }

    [Fact]
    public void CardRsaKey_FastPathAndCrtPath_AgreeByteForByte()
    {
        using var rsa = RSA.Create(2048);
        using var key = new CardRsaKey(rsa.ExportPkcs8PrivateKey());
        var digestInfo = Convert.FromHexString(Apdus.Sha256DigestInfo(Message));
        Assert.Equal(key.SignPaddedWithCrt(digestInfo), key.SignPadded(digestInfo));
        Assert.Equal(rsa.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), key.SignPaddedWithCrt(digestInfo));
    }
}
