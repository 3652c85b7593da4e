using System.Globalization;
using System.Text;
using Jpki.Verification.Cms;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Interop;

/// <summary>
/// CMS interop with openssl (Debian package <c>openssl</c>), in both directions: we verify what
/// <c>openssl cms -sign</c> makes with our test certificate, and <c>openssl cms -verify</c> accepts what we build.
/// </summary>
public sealed class OpenSslCmsTests : IDisposable
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("印鑑登録証明書の交付請求\r\n");
    private readonly TempDir _dir = new();

    public OpenSslCmsTests()
    {
        File.WriteAllBytes(_dir.File("doc.bin"), Document);
        File.WriteAllText(_dir.File("ca.pem"), TestPki.SignCa.ExportCertificatePem());
        File.WriteAllText(_dir.File("signer.pem"), TestPki.Issue().ExportCertificatePem());
        File.WriteAllText(_dir.File("signer.key"), TestPki.SubjectKey.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task VerifyCmsAsync_OpenSslSignature_Valid(bool attached, bool cades)
    {
        var args = new List<string> { "cms", "-sign", "-binary", "-md", "sha256", "-in", _dir.File("doc.bin"), "-signer", _dir.File("signer.pem"), "-inkey", _dir.File("signer.key"), "-outform", "DER", "-out", _dir.File("sig.p7s") };
        args.Add(attached ? "-nodetach" : "-no_attr_verify");
        if (!attached)
        {
            args.Remove("-no_attr_verify");
        }

        if (cades)
        {
            args.Add("-cades");
        }

        var (code, _, stderr) = OpenSsl.Run([.. args]);
        Assert.True(code == 0, stderr);

        var verifier = Verifiers.Create(options: new VerifierOptions { RequireSigningCertificateV2 = cades });
        var signature = File.ReadAllBytes(_dir.File("sig.p7s"));
        var result = attached ? await verifier.VerifyAttachedAsync(signature) : await verifier.VerifyDetachedAsync(signature, Document);

        Assert.True(result.Verdict.IsValid, result.Verdict.ToString());
        Assert.NotNull(result.BasicFourInfo);
    }

    [Fact]
    public async Task VerifyCmsAsync_OpenSslSignatureOverOtherContent_ContentTampered()
    {
        var (code, _, stderr) = OpenSsl.Run("cms", "-sign", "-binary", "-md", "sha256", "-in", _dir.File("doc.bin"), "-signer", _dir.File("signer.pem"), "-inkey", _dir.File("signer.key"), "-outform", "DER", "-out", _dir.File("sig.p7s"));
        Assert.True(code == 0, stderr);

        var result = await Verifiers.Create().VerifyCmsAsync(File.ReadAllBytes(_dir.File("sig.p7s")), "something else"u8.ToArray());

        Assert.Equal(VerdictCode.ContentTampered, result.Verdict.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OpenSslCmsVerify_OurSignature_Verifies(bool detached)
    {
        File.WriteAllBytes(_dir.File("ours.p7s"), CmsSignatureBuilder.Sign(Document, TestPki.Issue(), TestPki.SubjectKey, detached, TestPki.Now));
        var args = new List<string> { "cms", "-verify", "-binary", "-inform", "DER", "-in", _dir.File("ours.p7s"), "-CAfile", _dir.File("ca.pem"), "-purpose", "any", "-attime", TestPki.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "-out", _dir.File("out.bin") };
        if (detached)
        {
            args.AddRange(["-content", _dir.File("doc.bin")]);
        }

        var (code, _, stderr) = OpenSsl.Run([.. args]);

        Assert.True(code == 0, stderr);
        Assert.Equal(Document, File.ReadAllBytes(_dir.File("out.bin")));
    }

    [Fact]
    public void OpenSslCmsVerify_OurSignatureTamperedContent_Fails()
    {
        File.WriteAllBytes(_dir.File("ours.p7s"), CmsSignatureBuilder.Sign(Document, TestPki.Issue(), TestPki.SubjectKey, detached: true, TestPki.Now));
        File.WriteAllBytes(_dir.File("other.bin"), "tampered"u8.ToArray());

        var (code, _, _) = OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", _dir.File("ours.p7s"), "-content", _dir.File("other.bin"), "-CAfile", _dir.File("ca.pem"), "-purpose", "any", "-attime", TestPki.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "-out", _dir.File("out.bin"));

        Assert.NotEqual(0, code);
    }

    [Fact]
    public void OpenSslCmsCmsout_OurSignature_HasSigningCertificateV2()
    {
        File.WriteAllBytes(_dir.File("ours.p7s"), CmsSignatureBuilder.Sign(Document, TestPki.Issue(), TestPki.SubjectKey, detached: true, TestPki.Now));

        var (code, stdout, stderr) = OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", _dir.File("ours.p7s"));

        Assert.True(code == 0, stderr);
        Assert.Contains("id-smime-aa-signingCertificateV2", stdout, StringComparison.Ordinal);
        Assert.Contains("signingTime", stdout, StringComparison.Ordinal);
    }
}
