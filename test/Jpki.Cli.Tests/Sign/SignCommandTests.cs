using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Jpki.Cli.Tests.Sign;

public sealed class SignCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-sign-");

    private string CardFile => Path.Combine(_directory.FullName, "card.jpkicard");

    private string PasswordFile => Path.Combine(_directory.FullName, "password.txt");

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task IssueAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", "SIGN1")).ExitCode);
        await CliRunner.DevIssueAsync(CardFile, Path.Combine(_directory.FullName, "jpki-data"), "JPKI_SIGNTEST");
        await File.WriteAllTextAsync(PasswordFile, "abc123\n");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sign_VirtualCard_CmsVerifiesWithCardCertificate(bool attached)
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "request.txt");
        var p7s = message + ".p7s";
        await File.WriteAllTextAsync(message, "住民票の写しの交付を請求します。");
        var args = new List<string> { "sign", "--card", CardFile, "--in", message, "--out", p7s, "--password-file", PasswordFile, "--json" };
        if (attached)
        {
            args.Add("--attached");
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync([.. args]);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(!attached, json.RootElement.GetProperty("detached").GetBoolean());
        var cms = attached ? new SignedCms() : new SignedCms(new ContentInfo(await File.ReadAllBytesAsync(message)), detached: true);
        cms.Decode(await File.ReadAllBytesAsync(p7s));
        cms.CheckSignature(verifySignatureOnly: true);
        Assert.Contains(cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>(), a => a.Oid.Value == "1.2.840.113549.1.9.16.2.47");
    }

    [Fact]
    public async Task Sign_LogsTheSigningLibrarysEventOnStderr_AtTheLevelAsked_NeverThePasswordNorTheHolder()
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "request.txt");
        await File.WriteAllTextAsync(message, "x");
        var pdf = Path.Combine(_directory.FullName, "form.pdf");
        await File.WriteAllBytesAsync(pdf, TestPdf.Classic());

        var cades = await CliRunner.RunAsync("sign", "--card", CardFile, "--in", message, "--out", message + ".p7s", "--password-file", PasswordFile, "--json");
        var pades = await CliRunner.RunAsync("sign", "--format", "pades", "--card", CardFile, "--in", pdf, "--out", pdf + ".signed.pdf", "--password-file", PasswordFile, "--json");
        var quiet = await CliRunner.RunAsync("sign", "--card", CardFile, "--in", message, "--out", message + ".2.p7s", "--password-file", PasswordFile, "--json", "--log-level", "Warning");

        Assert.True(cades.ExitCode == 0 && pades.ExitCode == 0 && quiet.ExitCode == 0, cades.Stderr + pades.Stderr + quiet.Stderr);
        Assert.Contains("Jpki.Signing[6101] Signature made: CAdES B-B, signer certificate", cades.Stderr, StringComparison.Ordinal);
        Assert.Contains("Jpki.Signing[6101] Signature made: PAdES B-B, signer certificate", pades.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("[6101]", quiet.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("{", cades.Stdout.TrimStart(), StringComparison.Ordinal);

        // The password and the dev-issued holder (試験 太郎 of 永田町, My Number 123456789018) are in no line.
        string[] secrets = ["abc123", "ABC123", "試験", "太郎", "永田町", "123456789018"];
        Assert.All(secrets, p => Assert.DoesNotContain(p, cades.Stderr + pades.Stderr + quiet.Stderr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_WrongPassword_ExitsNegativeWithoutFile()
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "request.txt");
        await File.WriteAllTextAsync(message, "x");
        await File.WriteAllTextAsync(PasswordFile, "WRONG99\n");

        var (code, _, _) = await CliRunner.RunAsync("sign", "--card", CardFile, "--in", message, "--out", message + ".p7s", "--password-file", PasswordFile);

        Assert.Equal(1, code);
        Assert.False(File.Exists(message + ".p7s"));
    }

    [Theory]
    [InlineData("enveloped")]
    [InlineData("enveloping")]
    [InlineData("detached")]
    public async Task SignXades_VirtualCard_Xmlsec1Verifies_JpkiVerifyDetectsXml(string placement)
    {
        await IssueAsync();
        var detached = placement == "detached";
        var input = Path.Combine(_directory.FullName, detached ? "申請書.txt" : "request.xml");
        var output = Path.Combine(_directory.FullName, placement + "-signed.xml");
        await File.WriteAllTextAsync(input, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請 xmlns=\"urn:openjpki:test\"><手続>住民票の写しの交付請求</手続></申請>\n");

        var (code, stdout, stderr) = await CliRunner.RunAsync("sign", "--format", "xades", "--placement", placement, "--card", CardFile, "--in", input, "--out", output, "--password-file", PasswordFile, "--json");

        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal("xades", json.RootElement.GetProperty("format").GetString());
            Assert.Equal("B-B", json.RootElement.GetProperty("level").GetString());
            Assert.Equal(detached, json.RootElement.GetProperty("detached").GetBoolean());
        }

        // xmlsec1 (libxmlsec1 + OpenSSL) checks the references, the signature value and the certificate chain up to the
        // card's signature CA (the last certificate of ds:X509Data, written out as the trusted root).
        var ca = Path.Combine(_directory.FullName, "sign-ca.pem");
        await File.WriteAllTextAsync(ca, OpenSsl.Pem("CERTIFICATE", LastX509Certificate(await File.ReadAllBytesAsync(output))));
        var xmlsec = await ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--verify", "--trusted-pem", ca, "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", output], workingDirectory: _directory.FullName);
        Assert.True(xmlsec.Exit == 0, xmlsec.Error);

        // jpki verify detects XML; a changed document is content-tampered whatever the trust.
        string[] verify = detached ? ["verify", "--in", input, "--sig", output] : ["verify", "--in", output];
        var tampered = detached ? input : output;
        var text = await File.ReadAllTextAsync(tampered);
        await File.WriteAllTextAsync(tampered, text.Replace("住民票", "戸籍謄本", StringComparison.Ordinal));
        var refused = await CliRunner.RunAsync([.. verify, "--trust", ca, "--no-revocation-check", "--json"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("content-tampered", refused.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, (await ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--verify", "--trusted-pem", ca, "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", output], workingDirectory: _directory.FullName)).Exit);
    }

    [Fact]
    public async Task SignXades_ReferenceId_SecondSignatureSideBySide_BothValid_Xmlsec1AcceptsEach_WholeDocumentRefused()
    {
        await IssueAsync();
        var input = Path.Combine(_directory.FullName, "request.xml");
        var once = Path.Combine(_directory.FullName, "once.xml");
        var twice = Path.Combine(_directory.FullName, "twice.xml");
        await File.WriteAllTextAsync(input, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請 xmlns=\"urn:openjpki:test\"><手続 Id=\"proc\">住民票の写しの交付請求</手続><氏名>試験　太郎</氏名></申請>\n");

        var first = await CliRunner.RunAsync("sign", "--format", "xades", "--reference-id", "proc", "--card", CardFile, "--in", input, "--out", once, "--password-file", PasswordFile, "--json");
        var second = await CliRunner.RunAsync("sign", "--format", "xades", "--reference-id", "proc", "--card", CardFile, "--in", once, "--out", twice, "--password-file", PasswordFile, "--json");
        // A first signature over the whole document cannot get a second one beside it (it would cover, and break, the first).
        var wholeOnce = await CliRunner.RunAsync("sign", "--format", "xades", "--card", CardFile, "--in", input, "--out", input + ".whole", "--password-file", PasswordFile, "--json");
        Assert.True(wholeOnce.ExitCode == 0, wholeOnce.Stderr);
        var whole = await CliRunner.RunAsync("sign", "--format", "xades", "--reference-id", "proc", "--card", CardFile, "--in", input + ".whole", "--out", twice + ".whole", "--password-file", PasswordFile, "--json");
        var detachedWithId = await CliRunner.RunAsync("sign", "--format", "xades", "--placement", "detached", "--reference-id", "proc", "--card", CardFile, "--in", input, "--out", twice + ".sig", "--password-file", PasswordFile, "--json");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(1, whole.ExitCode);
        Assert.Contains("would break signature 'Signature'", whole.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(twice + ".whole"));
        Assert.Equal(2, detachedWithId.ExitCode);
        var report = Path.Combine(_directory.FullName, "twice.json");
        var ca = Path.Combine(_directory.FullName, "jpki-data", "authority", "sign-ca.cer");
        var verified = await CliRunner.RunAsync("verify", "--in", twice, "--trust", ca, "--allow-test-policy", "--no-revocation-check", "--report", report, "--json");
        Assert.True(verified.ExitCode == 0, verified.Stdout);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var signatures = json.RootElement.GetProperty("signatures").EnumerateArray().ToList();
            Assert.Equal(2, signatures.Count);
            Assert.All(signatures, s => Assert.Equal("TOTAL-PASSED", s.GetProperty("indication").GetString()));
            Assert.Equal(["Signature", "Signature-2"], signatures.Select(s => s.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        }

        // xmlsec1 verifies each signature, selected by its Id (the Ids of ds:Signature, SignedProperties and the signed element declared).
        var pem = Path.Combine(_directory.FullName, "sign-ca.pem");
        await File.WriteAllTextAsync(pem, OpenSsl.Pem("CERTIFICATE", await File.ReadAllBytesAsync(ca)));
        string[] Xmlsec(string node, string file) =>
            ["--verify", "--trusted-pem", pem, "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "--id-attr:Id", "urn:openjpki:test:手続",
             "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Signature", "--node-id", node, file];
        foreach (var node in new[] { "Signature", "Signature-2" })
        {
            var xmlsec = await ExternalTool.RunAsync("xmlsec1", "xmlsec1", Xmlsec(node, twice), workingDirectory: _directory.FullName);
            Assert.True(xmlsec.Exit == 0, $"{node}: {xmlsec.Error}");
        }

        // The signed element changed: both refused, by jpki verify and by xmlsec1.
        var text = await File.ReadAllTextAsync(twice);
        await File.WriteAllTextAsync(twice, text.Replace("住民票の写し", "戸籍謄本", StringComparison.Ordinal));
        var refused = await CliRunner.RunAsync("verify", "--in", twice, "--trust", ca, "--allow-test-policy", "--no-revocation-check", "--report", report, "--json");
        Assert.Equal(1, refused.ExitCode);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.All(json.RootElement.GetProperty("signatures").EnumerateArray(), s => Assert.Equal("HASH_FAILURE", s.GetProperty("subIndication").GetString()));
        }

        foreach (var node in new[] { "Signature", "Signature-2" })
        {
            Assert.NotEqual(0, (await ExternalTool.RunAsync("xmlsec1", "xmlsec1", Xmlsec(node, twice), workingDirectory: _directory.FullName)).Exit);
        }
    }

    [Fact]
    public async Task SignPades_VirtualCard_PdfsigAndJpkiVerifyAgree_TamperedRefused()
    {
        await IssueAsync();
        var input = Path.Combine(_directory.FullName, "申請書.pdf");
        var output = Path.Combine(_directory.FullName, "申請書.signed.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic());

        var (code, stdout, stderr) = await CliRunner.RunAsync("sign", "--format", "pades", "--card", CardFile, "--in", input, "--out", output, "--password-file", PasswordFile, "--json");

        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal("pades", json.RootElement.GetProperty("format").GetString());
            Assert.Equal("Signature1", json.RootElement.GetProperty("field").GetString());
        }

        Assert.Empty(Directory.GetFiles(_directory.FullName, "*.tmp"));
        var pdfsig = await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nocert", output]);
        Assert.Contains("Signature Validation: Signature is Valid.", Encoding.UTF8.GetString(pdfsig.Output), StringComparison.Ordinal);
        Assert.Contains("ETSI.CAdES.detached", Encoding.UTF8.GetString(pdfsig.Output), StringComparison.Ordinal);

        // jpki verify detects the PDF and gets past the PDF and CMS checks to the certificate (a dev-issued card's
        // certificate carries the TEST authority's policy, which verify refuses without --allow-test-policy; valid PAdES
        // signatures are in Jpki.Signing.Tests); a changed byte fails the signature itself.
        var ca = Path.Combine(_directory.FullName, "sign-ca.pem");
        await File.WriteAllTextAsync(ca, OpenSsl.Pem("CERTIFICATE", SignCaOfPdf(await File.ReadAllBytesAsync(output))));
        var report = Path.Combine(_directory.FullName, "report.json");
        var verified = await CliRunner.RunAsync("verify", "--in", output, "--trust", ca, "--no-revocation-check", "--report", report, "--json");
        Assert.DoesNotContain("content-tampered", verified.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("bad-signature", verified.Stdout, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.Equal("PAdES", json.RootElement.GetProperty("format").GetString());
            Assert.Equal("B-B", json.RootElement.GetProperty("signatures")[0].GetProperty("level").GetString());
        }

        var bytes = await File.ReadAllBytesAsync(output);
        var at = Encoding.Latin1.GetString(bytes).IndexOf("Juminhyo", StringComparison.Ordinal);
        bytes[at] = (byte)'X';
        await File.WriteAllBytesAsync(output, bytes);
        var refused = await CliRunner.RunAsync("verify", "--in", output, "--trust", ca, "--no-revocation-check", "--json");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("content-tampered", refused.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignPades_LongTermLevels_RefusedCleanlyWhenTheyCannotBeMade()
    {
        await IssueAsync();
        var input = Path.Combine(_directory.FullName, "lt.pdf");
        var signed = Path.Combine(_directory.FullName, "lt.signed.pdf");
        var output = Path.Combine(_directory.FullName, "lt.lta.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic());

        // B-LT without a TSA: refused before the card is asked.
        var noTsa = await CliRunner.RunAsync("sign", "--format", "pades", "--level", "B-LT", "--card", CardFile, "--in", input, "--out", signed, "--password-file", PasswordFile, "--json");
        Assert.Equal(2, noTsa.ExitCode);
        Assert.Contains("needs a time-stamping authority", noTsa.Stdout, StringComparison.Ordinal);

        // --augment of a PDF without a signature, and with the card given.
        var unsigned = await CliRunner.RunAsync("sign", "--format", "pades", "--augment", "--level", "B-LTA", "--tsa", "http://127.0.0.1:9/tsa", "--in", input, "--out", output, "--json");
        Assert.Equal(2, unsigned.ExitCode);
        Assert.Contains("no signature to augment", unsigned.Stdout, StringComparison.Ordinal);
        var withCard = await CliRunner.RunAsync("sign", "--format", "pades", "--augment", "--level", "B-LTA", "--tsa", "http://127.0.0.1:9/tsa", "--card", CardFile, "--in", input, "--out", output, "--json");
        Assert.Equal(2, withCard.ExitCode);

        // A signed PDF whose TSA cannot be reached: refused, nothing written, no temporary file left behind.
        var sign = await CliRunner.RunAsync("sign", "--format", "pades", "--card", CardFile, "--in", input, "--out", signed, "--password-file", PasswordFile, "--json");
        Assert.True(sign.ExitCode == 0, sign.Stderr);
        var unreachable = await CliRunner.RunAsync("sign", "--format", "pades", "--augment", "--level", "B-LTA", "--tsa", "http://127.0.0.1:9/tsa", "--in", signed, "--out", output, "--json");
        Assert.NotEqual(0, unreachable.ExitCode);
        Assert.Contains("tsa-refused", unreachable.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_directory.FullName, "*.tmp"));
        Assert.Empty(Directory.GetFiles(_directory.FullName, "*.step"));
    }

    [Fact]
    public async Task SignPades_NotAPdf_RefusedWithoutFile()
    {
        await IssueAsync();
        var input = Path.Combine(_directory.FullName, "request.pdf");
        await File.WriteAllTextAsync(input, "%PDF-1.4 but nothing else");

        var (code, stdout, _) = await CliRunner.RunAsync("sign", "--format", "pades", "--card", CardFile, "--in", input, "--out", input + ".signed.pdf", "--password-file", PasswordFile, "--json");

        Assert.Equal(2, code);
        Assert.Contains("not a PDF that can be signed", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(input + ".signed.pdf"));
        Assert.Empty(Directory.GetFiles(_directory.FullName, "*.tmp"));
    }

    /// <summary>The self-issued certificate of the CMS in the PDF's /Contents (the card's signature CA).</summary>
    private static byte[] SignCaOfPdf(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var start = text.IndexOf("/Contents <", StringComparison.Ordinal) + 11;
        var padded = Convert.FromHexString(text[start..text.IndexOf('>', start)]);
        _ = System.Formats.Asn1.AsnDecoder.ReadEncodedValue(padded, System.Formats.Asn1.AsnEncodingRules.DER, out _, out _, out var length);
        var cms = new SignedCms();
        cms.Decode(padded.AsSpan(0, length));
        return cms.Certificates.Single(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).RawData;
    }

    [Fact]
    public async Task SignXades_EnvelopedNotXml_RefusedWithoutFile()
    {
        await IssueAsync();
        var input = Path.Combine(_directory.FullName, "request.txt");
        await File.WriteAllTextAsync(input, "not XML");

        var (code, stdout, _) = await CliRunner.RunAsync("sign", "--format", "xades", "--card", CardFile, "--in", input, "--out", input + ".xml", "--password-file", PasswordFile, "--json");

        Assert.Equal(1, code);
        Assert.Contains("not-xml", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(input + ".xml"));
    }

    private static byte[] LastX509Certificate(byte[] signedXml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.Load(new MemoryStream(signedXml));
        var certificates = document.GetElementsByTagName("X509Certificate", "http://www.w3.org/2000/09/xmldsig#");
        Assert.True(certificates.Count >= 2, Encoding.UTF8.GetString(signedXml));
        return Convert.FromBase64String(certificates[certificates.Count - 1]!.InnerText);
    }
}
