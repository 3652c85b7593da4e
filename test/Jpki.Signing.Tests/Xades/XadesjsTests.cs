using System.Text;
using Jpki.Signing.Cades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Tests.Support;
using Jpki.Signing.Timestamps;
using Jpki.Signing.Xades;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Xades;

/// <summary>
/// xadesjs (PeculiarVentures' XAdES implementation on @peculiar/webcrypto, installed from the committed lock file with
/// <c>npm ci</c>) as the outside judge: it verifies our enveloped XAdES B-B and B-T; we validate a XAdES-BES that
/// xadesjs signed with a key and certificate of our authority; a changed document is refused by both.
/// </summary>
public sealed class XadesjsTests : IClassFixture<SigningAuthority>
{
    private const string Shinsei =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請書 xmlns=\"urn:openjpki:test:shinsei\"><手続>住民票の写しの交付請求</手続><氏名>公的　太郎</氏名></申請書>";

    private static readonly SemaphoreSlim NpmOnce = new(1, 1);
    private static bool _installed;

    private readonly SigningAuthority _pki;

    public XadesjsTests(SigningAuthority pki) => _pki = pki;

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Xades", "xadesjs");

    [Theory]
    [InlineData("B-B")]
    [InlineData("B-T")]
    public async Task OurEnvelopedXades_XadesjsVerifies_TamperedRefusedByBoth(string level)
    {
        var certificate = await _pki.IssueAsync();
        var signed = XadesSigner.Sign(Encoding.UTF8.GetBytes(Shinsei), _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        if (level == "B-T")
        {
            var augmenter = new XadesAugmenter(new HttpTimestampClient(_pki.Http, new Uri(_pki.Base, "/tsa")), new OnlineValidationDataSource(_pki.Http));
            signed = (await augmenter.AugmentAsync(signed, CadesLevel.BaselineT, null, null, CancellationToken.None)).Signature;
            Assert.Contains("SignatureTimeStamp", Encoding.UTF8.GetString(signed), StringComparison.Ordinal);
        }

        var (exit, output) = await XadesjsAsync("verify", Write($"ours-{level}.xml", signed));
        Assert.True(exit == 0 && output.StartsWith("valid", StringComparison.Ordinal), output);

        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("太郎", "次郎", StringComparison.Ordinal));
        (exit, output) = await XadesjsAsync("verify", Write($"ours-{level}-tampered.xml", tampered));
        Assert.NotEqual(0, exit);
        Assert.Contains("Invalid digest", output, StringComparison.Ordinal);
        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(tampered)));
        Assert.Equal(SubIndication.HashFailure, Assert.Single(report.Signatures).SubIndication);
    }

    [Fact]
    public async Task XadesBesSignedByXadesjs_ValidForUs_TamperedHashFailure()
    {
        var certificate = await _pki.IssueAsync();
        var key = Write("xjs-key.pem", Encoding.ASCII.GetBytes(_pki.SubjectKey.ExportPkcs8PrivateKeyPem()));
        var cert = Write("xjs-cert.pem", Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        var input = Write("xjs-in.xml", Encoding.UTF8.GetBytes(Shinsei));
        var output = _pki.Dir.File("xjs-signed.xml");

        var (exit, text) = await XadesjsAsync("sign", input, output, key, cert);
        Assert.True(exit == 0, text);
        var signed = await File.ReadAllBytesAsync(output);
        Assert.Contains("SigningCertificate", Encoding.UTF8.GetString(signed), StringComparison.Ordinal);

        var single = Assert.Single((await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(signed)))).Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");
        Assert.Equal(certificate.Thumbprint, single.SignerCertificate!.Thumbprint);
        Assert.Contains("the whole document", single.SignedObjects);

        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("太郎", "次郎", StringComparison.Ordinal));
        Assert.Equal(SubIndication.HashFailure, Assert.Single((await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(tampered)))).Signatures).SubIndication);
        (exit, _) = await XadesjsAsync("verify", Write("xjs-tampered.xml", tampered));
        Assert.NotEqual(0, exit);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _pki.Dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<(int Exit, string Output)> XadesjsAsync(params string[] args)
    {
        await InstallAsync();
        var (exit, output, error) = await ExternalTool.RunAsync("node", "nodejs", [Path.Combine(Folder, "xades.mjs"), .. args], workingDirectory: Folder);
        return (exit, Encoding.UTF8.GetString(output) + error);
    }

    private static async Task InstallAsync()
    {
        await NpmOnce.WaitAsync();
        try
        {
            if (!_installed)
            {
                var (exit, output, error) = await ExternalTool.RunAsync("npm", "npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], workingDirectory: Folder);
                Assert.True(exit == 0, $"npm ci failed in {Folder}: {Encoding.UTF8.GetString(output)} {error}");
                _installed = true;
            }
        }
        finally
        {
            NpmOnce.Release();
        }
    }
}
