using System.Text;

namespace Jpki.Cli.Tests.Sign;

/// <summary>
/// <c>jpki sign --card</c> with a next-generation virtual card (ECDSA P-384) dev-issued by a next-generation authority
/// (<c>authority init --profile nextgen</c>): CAdES, XAdES and PAdES judged by openssl, xmlsec1 and pdfsig with the
/// authority's P-384 sign CA as the only trusted root; a changed document is refused.
/// </summary>
public sealed class NextGenerationSignCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-sign-nextgen-");

    private string CardFile => File("card.jpkicard");

    private string PasswordFile => File("password.txt");

    private string Data => File("jpki-data");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Sign_NextGenerationCard_CadesXadesPadesJudgedOutside_TamperedRefused()
    {
        var init = await CliRunner.RunAsync("authority", "init", "--data", Data, "--test-names", "--profile", "nextgen");
        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--profile", "nextgen", "--out", CardFile, "--number", "NEXT1")).ExitCode);
        await CliRunner.DevIssueAsync(CardFile, Data, "JPKI_NGSIGN");
        await System.IO.File.WriteAllTextAsync(PasswordFile, "abc123\n");
        var ca = File("sign-ca.pem");
        await System.IO.File.WriteAllTextAsync(ca, OpenSsl.Pem("CERTIFICATE", await System.IO.File.ReadAllBytesAsync(Path.Combine(Data, "authority", "sign-ca.cer"))));
        Assert.Contains("NIST CURVE: P-384", OpenSsl.Run("x509", "-in", ca, "-noout", "-text").Stdout, StringComparison.Ordinal);

        // CAdES: ecdsa-with-SHA384, openssl cms -verify against the P-384 root.
        var message = File("request.txt");
        await System.IO.File.WriteAllTextAsync(message, "住民票の写しの交付を請求します。");
        var cades = await CliRunner.RunAsync("sign", "--card", CardFile, "--in", message, "--out", message + ".p7s", "--password-file", PasswordFile);
        Assert.True(cades.ExitCode == 0, cades.Stderr);
        Assert.Contains("ecdsa-with-SHA384", OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", message + ".p7s").Stdout, StringComparison.Ordinal);
        var cms = OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", message + ".p7s", "-content", message, "-CAfile", ca, "-purpose", "any", "-out", File("out.txt"));
        Assert.True(cms.ExitCode == 0, cms.Stdout + cms.Stderr);
        await System.IO.File.WriteAllTextAsync(File("changed.txt"), "住民票の写しの交付を請求しません。");
        Assert.NotEqual(0, OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", message + ".p7s", "-content", File("changed.txt"), "-CAfile", ca, "-purpose", "any", "-out", File("out2.txt")).ExitCode);

        // XAdES: xmldsig-more#ecdsa-sha384, xmlsec1 --verify.
        var xml = File("request.xml");
        var signedXml = File("request-signed.xml");
        await System.IO.File.WriteAllTextAsync(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請 xmlns=\"urn:openjpki:test\"><手続>住民票の写しの交付請求</手続></申請>\n");
        var xades = await CliRunner.RunAsync("sign", "--format", "xades", "--card", CardFile, "--in", xml, "--out", signedXml, "--password-file", PasswordFile);
        Assert.True(xades.ExitCode == 0, xades.Stderr);
        Assert.Contains("xmldsig-more#ecdsa-sha384", await System.IO.File.ReadAllTextAsync(signedXml), StringComparison.Ordinal);
        var xmlsec = await ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--verify", "--trusted-pem", ca, "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", signedXml], workingDirectory: _directory.FullName);
        Assert.True(xmlsec.Exit == 0, xmlsec.Error);
        var changedXml = File("changed.xml");
        await System.IO.File.WriteAllTextAsync(changedXml, (await System.IO.File.ReadAllTextAsync(signedXml)).Replace("交付請求", "廃止請求", StringComparison.Ordinal));
        Assert.NotEqual(0, (await ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--verify", "--trusted-pem", ca, "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", changedXml], workingDirectory: _directory.FullName)).Exit);

        // PAdES: pdfsig checks the ECDSA signature over the byte ranges.
        var pdf = File("form.pdf");
        var signedPdf = File("form.signed.pdf");
        await System.IO.File.WriteAllBytesAsync(pdf, TestPdf.Classic());
        var pades = await CliRunner.RunAsync("sign", "--format", "pades", "--card", CardFile, "--in", pdf, "--out", signedPdf, "--password-file", PasswordFile);
        Assert.True(pades.ExitCode == 0, pades.Stderr);
        var pdfsig = Encoding.UTF8.GetString((await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nocert", signedPdf])).Output);
        Assert.Contains("Signature Validation: Signature is Valid.", pdfsig, StringComparison.Ordinal);
        var bytes = await System.IO.File.ReadAllBytesAsync(signedPdf);
        var at = Encoding.Latin1.GetString(bytes).IndexOf("Juminhyo", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[at] = (byte)'j';
        await System.IO.File.WriteAllBytesAsync(File("tampered.pdf"), bytes);
        Assert.DoesNotContain("Signature is Valid.", Encoding.UTF8.GetString((await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nocert", File("tampered.pdf")])).Output), StringComparison.Ordinal);
    }

    private string File(string name) => Path.Combine(_directory.FullName, name);
}
