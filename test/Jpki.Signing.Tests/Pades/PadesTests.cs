using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Authority.Tests.Support;
using Jpki.Signing.Pades;
using Jpki.Signing.Tests.Support;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Pades;

/// <summary>
/// PAdES against the real authority: PDFs signed by us (classic xref table and PDF 1.5 xref stream, ETSI.CAdES.detached
/// and adbe.pkcs7.detached, signed twice) judged by poppler's <c>pdfsig</c> (NSS, with our sign CA as the only trusted
/// root in a temporary NSS database) and by our validator; tampered files refused by both.
/// </summary>
public sealed class PadesTests : IClassFixture<SigningAuthority>
{
    private readonly SigningAuthority _pki;

    public PadesTests(SigningAuthority pki) => _pki = pki;

    [Theory]
    [InlineData("ETSI.CAdES.detached", false)]
    [InlineData("adbe.pkcs7.detached", false)]
    [InlineData("ETSI.CAdES.detached", true)]
    public async Task Sign_PdfsigAndWeAgreeValid(string subFilter, bool xrefStream)
    {
        var certificate = await _pki.IssueAsync();
        var name = $"{subFilter}-{xrefStream}".Replace('.', '-');
        var input = _pki.Dir.File(name + ".pdf");
        await File.WriteAllBytesAsync(input, xrefStream ? await TestPdf.XrefStreamAsync(_pki.Dir.Path) : TestPdf.Classic());
        var original = await File.ReadAllBytesAsync(input);
        var output = _pki.Dir.File(name + ".signed.pdf");

        PadesSigner.Sign(input, output, _pki.Signer(certificate), _pki.Clock.GetUtcNow(), new PadesSignOptions { SubFilter = subFilter });

        var signed = await File.ReadAllBytesAsync(output);
        Assert.Equal(original, signed[..original.Length]);
        var report = await ValidateAsync(output);
        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");
        Assert.Equal("PAdES", report.Format);
        Assert.Equal(subFilter == "ETSI.CAdES.detached" ? "B-B" : "none", single.Level);
        Assert.Equal(certificate.Thumbprint, single.SignerCertificate!.Thumbprint);
        Assert.Equal(_pki.Clock.GetUtcNow().ToUnixTimeSeconds(), single.ClaimedSigningTime!.Value.ToUnixTimeSeconds());

        var pdfsig = await PdfsigAsync(output);
        Assert.Contains("Signature is Valid.", pdfsig, StringComparison.Ordinal);
        AssertChainReachedOurRoot(pdfsig, 1);
        Assert.Contains("Certificate issuer isn't Trusted.", await PdfsigAsync(output, trustOurRoot: false), StringComparison.Ordinal);
        Assert.Contains(subFilter, pdfsig, StringComparison.Ordinal);
        Assert.Contains("Total document signed", pdfsig, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignTwice_BothValid_ForPdfsigAndUs()
    {
        var certificate = await _pki.IssueAsync();
        var input = _pki.Dir.File("twice.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic());
        var once = _pki.Dir.File("twice.1.pdf");
        var twice = _pki.Dir.File("twice.2.pdf");
        PadesSigner.Sign(input, once, _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        PadesSigner.Sign(once, twice, _pki.Signer(certificate), _pki.Clock.GetUtcNow());

        var report = await ValidateAsync(twice);
        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.True(s.IsValid, s.Message));
        Assert.Equal(["Signature1", "Signature2"], report.Signatures.Select(s => s.Id));
        Assert.Contains(report.Signatures[0].Warnings, w => w.Contains("1 incremental update(s) after this signature", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Signatures[0].Warnings, w => w.Contains("Changed after signing", StringComparison.Ordinal));

        var pdfsig = await PdfsigAsync(twice);
        Assert.Equal(2, CountOf(pdfsig, "Signature is Valid."));
        AssertChainReachedOurRoot(pdfsig, 2);
    }

    [Fact]
    public async Task Tampered_HashFailure_AndPdfsigInvalid()
    {
        var certificate = await _pki.IssueAsync();
        var input = _pki.Dir.File("tamper.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic("Juminhyo request"));
        var output = _pki.Dir.File("tamper.signed.pdf");
        PadesSigner.Sign(input, output, _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        var bytes = await File.ReadAllBytesAsync(output);
        var at = Encoding.Latin1.GetString(bytes).IndexOf("Juminhyo", StringComparison.Ordinal);
        bytes[at] = (byte)'X';
        var tampered = _pki.Dir.File("tamper.changed.pdf");
        await File.WriteAllBytesAsync(tampered, bytes);

        var single = Assert.Single((await ValidateAsync(tampered)).Signatures);
        Assert.Equal(Indication.TotalFailed, single.Indication);
        Assert.Equal(SubIndication.HashFailure, single.SubIndication);

        var pdfsig = await PdfsigAsync(tampered, expectValid: false);
        Assert.Contains("Signature Validation: Digest Mismatch.", pdfsig, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature is Valid.", pdfsig, StringComparison.Ordinal);
    }

    /// <summary>
    /// pdfsig's certificate line. NSS (as poppler 22.12 calls it: <c>CERT_PKIXVerifyCert</c> without a policy set) refuses
    /// any certificate whose certificatePolicies extension is critical — which every JPKI signature certificate's is
    /// (J-LIS profile) — and pdfsig prints that as "Unknown issue with Certificate or corrupted data." once the chain
    /// has reached a trusted root; without our root in the database it says "Certificate issuer isn't Trusted." instead
    /// (checked here too), so the line shows NSS found and trusted our sign CA and stopped at the policy extension.
    /// </summary>
    private static void AssertChainReachedOurRoot(string pdfsig, int signatures)
    {
        Assert.Equal(signatures, CountOf(pdfsig, "Certificate Validation: Unknown issue with Certificate or corrupted data."));
        Assert.DoesNotContain("isn't Trusted", pdfsig, StringComparison.Ordinal);
        Assert.DoesNotContain("issuer is unknown", pdfsig, StringComparison.Ordinal);
    }

    internal static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private async Task<ValidationReport> ValidateAsync(string path)
        => await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromFile(path)));

    /// <summary><c>pdfsig</c> with a fresh NSS database that trusts our sign CA alone.</summary>
    private async Task<string> PdfsigAsync(string pdf, bool expectValid = true, bool trustOurRoot = true)
    {
        var nss = _pki.Dir.File("nss-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(nss);
        var (exit, _, error) = await ExternalTool.RunAsync("certutil", "libnss3-tools", ["-N", "-d", "sql:" + nss, "--empty-password"]);
        Assert.True(exit == 0, error);
        await File.WriteAllTextAsync(Path.Combine(nss, "signca.pem"), _pki.SignCa.ExportCertificatePem());
        (exit, _, error) = await ExternalTool.RunAsync("certutil", "libnss3-tools", ["-A", "-d", "sql:" + nss, "-n", "OpenJpki sign CA", "-t", trustOurRoot ? "CT,C,C" : ",,", "-a", "-i", Path.Combine(nss, "signca.pem")]);
        Assert.True(exit == 0, error);
        var (code, output, stderr) = await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nssdir", "sql:" + nss, pdf]);
        var text = Encoding.UTF8.GetString(output) + stderr;
        if (expectValid)
        {
            Assert.True(code == 0, text);
        }

        return text;
    }
}
