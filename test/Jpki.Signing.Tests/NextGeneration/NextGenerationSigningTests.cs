using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Signers;
using Jpki.Signing.Xades;
using Jpki.Verification;
using Jpki.Verification.Signatures;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Signing.Tests.NextGeneration;

/// <summary>
/// Signing on a next-generation card (ECDSA P-384, JPKI-REFERENCE §14) with a certificate of a next-generation authority
/// (<c>authority init --profile nextgen</c>): CAdES (ecdsa-with-SHA384, the card's r‖s wrapped into DER), XAdES
/// (xmldsig-more#ecdsa-sha384, r‖s as is) and PAdES, each judged by an outside tool with the P-384 sign CA as the only
/// trusted root — <c>openssl cms -verify</c>, <c>xmlsec1 --verify</c>, <c>pdfsig</c> — and by our validator; a changed
/// copy is refused by both. The key is generated on the card and never leaves it.
/// </summary>
public sealed class NextGenerationSigningTests : IAsyncLifetime
{
    private const string Password = "ABC123";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private AuthorityRuntime? _authority;
    private VirtualCard? _card;
    private InProcessTransport? _transport;
    private JpkiCardClient _client = null!;
    private X509Certificate2 _signCa = null!;

    public async Task InitializeAsync()
    {
        var data = _dir.File("data");
        await AuthorityFolder.InitializeAsync(
            data,
            new AuthoritySettings { TestNames = true, PublicBaseUrl = "http://127.0.0.1:9", OpenSignatureRevocationData = true, Profile = AuthoritySettings.ProfileNextGeneration },
            _clock, "test", default);
        _authority = await AuthorityFolder.OpenAsync(data, _clock, default);
        _signCa = X509CertificateLoader.LoadCertificate(_authority.Authority.SignCa.CertificateDer);

        const string number = "NEXTGEN0001";
        var master = SHA256.HashData("next-generation signing test"u8);
        using var key = CardManagementKey.Derive(master, number);
        _card = VirtualCard.Create(_dir.File("card.jpkicard"), new VirtualCardSpec(number, "HOLDER-1", CardKind.MyNumberCard, new DateOnly(2036, 3, 17)) { Profile = CardProfile.NextGeneration }, key);
        _transport = new InProcessTransport(_card);
        _client = new JpkiCardClient(_transport);
        var issuer = new CardIssuerClient(_client, key, number);
        var spki = issuer.GenerateKeyPair(CertificateKind.Signature).SubjectPublicKeyInfo;
        var record = await _authority.Authority.IssueAsync(
            new IssueRequest(CertificateKind.Signature, spki, number, "HOLDER-1", new DateOnly(2036, 3, 17), Fixtures.Taro, null, "test"), default);
        issuer.WriteCertificate(CertificateSlot.Signature, record.Der.Span);
        issuer.WriteCertificate(CertificateSlot.SignatureCa, _authority.Authority.SignCa.CertificateDer);
        issuer.SetPin(PinKind.SignaturePassword, Password);
        _client.Logout();
        Assert.True(_client.Verify(PinKind.SignaturePassword, Password).Verified);
        File.WriteAllText(_dir.File("signca.pem"), _signCa.ExportCertificatePem());
    }

    public async Task DisposeAsync()
    {
        _transport?.Dispose();
        _card?.Dispose();
        if (_authority is not null)
        {
            await _authority.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Cades_NextGenerationCard_Sha384EcdsaOpensslAndUsAccept_TamperedRefused()
    {
        var signer = CardSigner.FromCard(_client);
        Assert.Equal(384, signer.Certificate.GetECDsaPublicKey()!.KeySize);
        var content = Encoding.UTF8.GetBytes("転入届 signed on the next-generation card");
        var p7s = CadesSigner.Sign(content, signer, _clock.GetUtcNow());
        File.WriteAllBytes(_dir.File("doc.txt"), content);
        File.WriteAllBytes(_dir.File("doc.p7s"), p7s);

        var printed = OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", _dir.File("doc.p7s"));
        Assert.Contains("ecdsa-with-SHA384", printed.Stdout, StringComparison.Ordinal);
        Assert.Contains("sha384", printed.Stdout, StringComparison.Ordinal);
        var verify = OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", _dir.File("doc.p7s"), "-content", _dir.File("doc.txt"), "-CAfile", _dir.File("signca.pem"), "-purpose", "any", "-out", _dir.File("out.txt"));
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);

        var report = await Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(content, "doc.txt"), DocumentSource.FromBytes(p7s)));
        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");

        content[0] ^= 1;
        File.WriteAllBytes(_dir.File("tampered.txt"), content);
        Assert.NotEqual(0, OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", _dir.File("doc.p7s"), "-content", _dir.File("tampered.txt"), "-CAfile", _dir.File("signca.pem"), "-purpose", "any", "-out", _dir.File("out2.txt")).ExitCode);
        var tampered = await Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(content, "doc.txt"), DocumentSource.FromBytes(p7s)));
        Assert.False(Assert.Single(tampered.Signatures).IsValid);
    }

    [Fact]
    public async Task Xades_NextGenerationCard_EcdsaSha384Xmlsec1AndUsAccept_TamperedRefused()
    {
        var signer = CardSigner.FromCard(_client);
        var document = Encoding.UTF8.GetBytes("<申請 xmlns=\"urn:example:app\"><氏名>山田　太郎</氏名><用件>転入</用件></申請>");
        var signed = XadesSigner.Sign(document, signer, _clock.GetUtcNow());
        var text = Encoding.UTF8.GetString(signed);
        Assert.Contains("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", text, StringComparison.Ordinal);
        var value = Convert.FromBase64String(System.Text.RegularExpressions.Regex.Match(text, "<(?:ds:)?SignatureValue[^>]*>([^<]+)<").Groups[1].Value);
        Assert.Equal(96, value.Length); // r‖s, not DER

        Assert.Equal(0, (await Xmlsec1Async(signed, "signed")).Exit);
        var report = await Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(signed)));
        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");

        var changed = Encoding.UTF8.GetBytes(text.Replace("転入", "転出", StringComparison.Ordinal));
        Assert.NotEqual(0, (await Xmlsec1Async(changed, "changed")).Exit);
        Assert.False(Assert.Single((await Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(changed)))).Signatures).IsValid);
    }

    [Fact]
    public async Task Pades_NextGenerationCard_PdfsigAndUsAccept_TamperedRefused()
    {
        var signer = CardSigner.FromCard(_client);
        var input = _dir.File("form.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic("Next-generation card"));
        var output = _dir.File("form.signed.pdf");
        PadesSigner.Sign(input, output, signer, _clock.GetUtcNow());

        var pdfsig = await PdfsigAsync(output);
        Assert.Contains("Signature is Valid.", pdfsig, StringComparison.Ordinal);
        Assert.Contains("ETSI.CAdES.detached", pdfsig, StringComparison.Ordinal);
        var report = await Validator().ValidateAsync(new SignedDocument(DocumentSource.FromFile(output)));
        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");

        var bytes = await File.ReadAllBytesAsync(output);
        var at = Encoding.Latin1.GetString(bytes).IndexOf("Next-generation card", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[at] = (byte)'n';
        var tampered = _dir.File("form.tampered.pdf");
        await File.WriteAllBytesAsync(tampered, bytes);
        var refused = await PdfsigAsync(tampered);
        Assert.DoesNotContain("Signature is Valid.", refused, StringComparison.Ordinal);
        Assert.False(Assert.Single((await Validator().ValidateAsync(new SignedDocument(DocumentSource.FromFile(tampered)))).Signatures).IsValid);
    }

    [Fact]
    public void CardSigner_NextGenerationCard_PrivateKeyNotExportable()
    {
        using var key = new SignerEcdsa(CardSigner.FromCard(_client));
        Assert.Throws<CryptographicException>(() => key.ExportParameters(includePrivateParameters: true));
        Assert.Null(key.ExportParameters(includePrivateParameters: false).D);
    }

    // Revocation of P-384 certificates (CRL, OCSP) is judged in NextGenerationAuthorityTests; here the signatures are.
    private SignatureValidator Validator() => new(new JpkiVerifier(
        new TrustStoreBuilder().PinJlisFingerprint(_signCa.GetCertHashString(HashAlgorithmName.SHA256)).AddRoot(_signCa).Build(),
        [], _clock, new VerifierOptions { UnsafeSkipRevocationCheck = true, Path = new Jpki.Verification.Paths.PathValidationOptions { AllowTestPolicy = true } }));

    private async Task<(int Exit, string Error)> Xmlsec1Async(byte[] signed, string name)
    {
        File.WriteAllBytes(_dir.File(name + ".xml"), signed);
        var (exit, _, error) = await ExternalTool.RunAsync(
            "xmlsec1", "xmlsec1",
            ["--verify", "--trusted-pem", _dir.File("signca.pem"), "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", name + ".xml"],
            workingDirectory: _dir.Path);
        return (exit, error);
    }

    private async Task<string> PdfsigAsync(string pdf)
    {
        var nss = _dir.File("nss-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(nss);
        var (exit, _, error) = await ExternalTool.RunAsync("certutil", "libnss3-tools", ["-N", "-d", "sql:" + nss, "--empty-password"]);
        Assert.True(exit == 0, error);
        (exit, _, error) = await ExternalTool.RunAsync("certutil", "libnss3-tools", ["-A", "-d", "sql:" + nss, "-n", "OpenJpki nextgen sign CA", "-t", "CT,C,C", "-a", "-i", _dir.File("signca.pem")]);
        Assert.True(exit == 0, error);
        var (_, output, stderr) = await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nssdir", "sql:" + nss, pdf]);
        return Encoding.UTF8.GetString(output) + stderr;
    }
}
