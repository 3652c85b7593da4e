using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Apdu;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Xunit.Abstractions;

namespace Jpki.Card.Tests.Interop;

[Collection(PcscdCollection.Name)]
public sealed class OpenScInteropTests
{
    private const string AuthToken = "JPKI (User Authentication PIN)";
    private const string SignToken = "JPKI (Digital Signature PIN)";
    private readonly PcscdFixture _fixture;
    private readonly ITestOutputHelper _output;

    public OpenScInteropTests(PcscdFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Pkcs15Dump_ListsBothCertificates()
    {
        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/pkcs15-tool", ["--dump"]);
        _output.WriteLine(stdout);
        Assert.True(code == 0, stderr);
        Assert.Contains("User Authentication Certificate", stdout, StringComparison.Ordinal);
        Assert.Contains("Digital Signature Certificate", stdout, StringComparison.Ordinal);
        Assert.Contains("JPKI", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pkcs15ReadCertificate01_IsOurAuthCertificateByteForByte()
    {
        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/pkcs15-tool", ["--read-certificate", "01"]);
        Assert.True(code == 0, stderr);
        using var fromOpenSc = X509Certificate2.CreateFromPem(stdout);
        Assert.Equal(_fixture.Card.Certificates!.Authentication, fromOpenSc.RawData);
    }

    [Theory]
    [InlineData(AuthToken, "01", TestCard.AuthPin, CertificateKind.Authentication)]
    [InlineData(SignToken, "02", TestCard.SignPassword, CertificateKind.Signature)]
    public void Pkcs11Sign_Sha256RsaPkcs_OpensslVerifies(string token, string id, string pin, CertificateKind kind)
    {
        var directory = _fixture.Directory;
        var message = Path.Combine(directory, $"message-{id}.txt");
        var signature = Path.Combine(directory, $"signature-{id}.bin");
        var publicKey = Path.Combine(directory, $"public-{id}.pem");
        File.WriteAllText(message, $"OpenJpki interop message signed with key {id}\n");
        var der = kind == CertificateKind.Authentication ? _fixture.Card.Certificates!.Authentication : _fixture.Card.Certificates!.Signature;
        using (var certificate = X509CertificateLoader.LoadCertificate(der))
        using (var rsa = certificate.GetRSAPublicKey()!)
        {
            File.WriteAllText(publicKey, rsa.ExportSubjectPublicKeyInfoPem());
        }

        var (code, _, stderr) = ExternalTool.Run("/usr/bin/pkcs11-tool",
        [
            "--module", ExternalTool.FindOpenScPkcs11()!, "--token-label", token, "--login", "--pin", pin,
            "--sign", "--id", id, "-m", "SHA256-RSA-PKCS", "-i", message, "-o", signature,
        ]);
        Assert.True(code == 0, stderr);
        var verify = ExternalTool.Run("/usr/bin/openssl", ["dgst", "-sha256", "-verify", publicKey, "-signature", signature, message]);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.Contains("Verified OK", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pkcs11WrongPinThreeTimes_OpenScReportsAuthPinBlocked()
    {
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var (code, _, _) = ExternalTool.Run("/usr/bin/pkcs11-tool",
                    ["--module", ExternalTool.FindOpenScPkcs11()!, "--token-label", AuthToken, "--login", "--pin", "0000", "--list-objects"]);
                Assert.NotEqual(0, code);
            }

            var pins = ExternalTool.Run("/usr/bin/pkcs15-tool", ["--list-pins"]);
            _output.WriteLine(pins.Stdout);
            var slots = ExternalTool.Run("/usr/bin/pkcs11-tool", ["--module", ExternalTool.FindOpenScPkcs11()!, "--list-slots"]);
            _output.WriteLine(slots.Stdout);
            Assert.Contains("user PIN locked", slots.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"User Authentication PIN[\s\S]*?Tries left\s*:\s*0", pins.Stdout);
        }
        finally
        {
            Unblock();
        }
    }

    [Fact]
    public void OurPcscClient_ReadsVerifiesAndSigns()
    {
        Assert.Contains(PcscdFixture.ReaderName, PcscTransport.ListReaders());
        using var transport = PcscTransport.Connect(PcscdFixture.ReaderName);
        Assert.Equal(Convert.FromHexString("3BE000FF8131FE4514"), transport.Atr.ToArray());
        var client = new JpkiCardClient(transport);
        Assert.Equal(_fixture.Card.Certificates!.Authentication, client.ReadCertificate(CertificateSlot.Authentication));
        Assert.Equal("JPKIAPICCTOKEN2", Jpki.Card.Applications.TokenInfo.ReadLabel(client.ReadTokenInfo()));
        Assert.Equal(3, client.GetTriesLeft(PinKind.AuthenticationPin));
        var error = Assert.Throws<CardStatusException>(() => client.ReadCertificate(CertificateSlot.Signature));
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, error.StatusWord);
        Assert.True(client.Verify(PinKind.SignaturePassword, "abc123").Verified); // lowercase is uppercased by the client
        Assert.Equal(_fixture.Card.Certificates!.Signature, client.ReadCertificate(CertificateSlot.Signature));
        var data = "signed through PC/SC"u8.ToArray();
        var signature = client.SignSha256(CertificateKind.Signature, data);
        using var certificate = X509CertificateLoader.LoadCertificate(_fixture.Card.Certificates!.Signature);
        using var rsa = certificate.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private void Unblock()
    {
        try
        {
            UnblockOnce();
        }
        catch (CardTransportException e) when (e.Message.Contains("0x80100068", StringComparison.Ordinal))
        {
            // SCARD_W_RESET_CARD: the OpenSC tool that ran just before reset the shared card as we connected; connect again.
            UnblockOnce();
        }
    }

    private void UnblockOnce()
    {
        using var transport = PcscTransport.Connect(PcscdFixture.ReaderName);
        using var key = TestCard.ManagementKey();
        var client = new JpkiCardClient(transport);
        new CardIssuerClient(client, key, TestCard.CardNumber).ResetRetryCounter(PinKind.AuthenticationPin);
        Assert.Equal(3, client.GetTriesLeft(PinKind.AuthenticationPin));
    }
}
