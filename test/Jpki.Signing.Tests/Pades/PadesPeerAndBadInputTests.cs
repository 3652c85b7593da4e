using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Tests.Support;
using Jpki.Signing.Timestamps;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Pades;

/// <summary>
/// PAdES the other way round and under attack: a PDF signed by a third-party signer (@signpdf from npm, with a key and
/// certificate of our authority in a PKCS#12) validated by us; B-T with a signature time-stamp from the real <c>/tsa</c>;
/// and hostile PDFs — truncated, a broken xref, a broken hybrid /XRefStm, a /ByteRange that does not cover the file, a
/// second /Contents hidden in a later update — each a clear negative verdict, never an exception.
/// </summary>
public sealed class PadesPeerAndBadInputTests : IClassFixture<SigningAuthority>
{
    private static readonly SemaphoreSlim NpmOnce = new(1, 1);
    private static bool _installed;

    private readonly SigningAuthority _pki;

    public PadesPeerAndBadInputTests(SigningAuthority pki) => _pki = pki;

    private static string SignpdfFolder => Path.Combine(AppContext.BaseDirectory, "Pades", "signpdf");

    [Fact]
    public async Task SignedBySignpdf_ValidForUs_TamperedHashFailure()
    {
        var certificate = await _pki.IssueAsync();
        var p12 = _pki.Dir.File("signpdf.p12");
        using (var withKey = certificate.CopyWithPrivateKey(_pki.SubjectKey))
        {
            var bundle = new X509Certificate2Collection { withKey, _pki.SignCa };
            await File.WriteAllBytesAsync(p12, bundle.ExportPkcs12(new PbeParameters(PbeEncryptionAlgorithm.TripleDes3KeyPkcs12, HashAlgorithmName.SHA1, 2048), "signpdf-test"));
        }

        var input = _pki.Dir.File("signpdf-in.pdf");
        var output = _pki.Dir.File("signpdf-out.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic());
        await InstallSignpdfAsync();
        var (exit, _, error) = await ExternalTool.RunAsync("node", "nodejs", [Path.Combine(SignpdfFolder, "sign.mjs"), input, output, p12, "signpdf-test"], workingDirectory: SignpdfFolder);
        Assert.True(exit == 0, error);

        var single = Assert.Single((await ValidateAsync(await File.ReadAllBytesAsync(output))).Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");
        Assert.Equal(certificate.Thumbprint, single.SignerCertificate!.Thumbprint);
        Assert.Contains(single.Warnings, w => w.Contains("adbe.pkcs7.detached", StringComparison.Ordinal));

        var tampered = await File.ReadAllBytesAsync(output);
        tampered[Encoding.Latin1.GetString(tampered).IndexOf("Juminhyo", StringComparison.Ordinal)] ^= 0x01;
        var failed = Assert.Single((await ValidateAsync(tampered)).Signatures);
        Assert.Equal(Indication.TotalFailed, failed.Indication);
        Assert.Equal(SubIndication.HashFailure, failed.SubIndication);
    }

    [Fact]
    public async Task BT_SignatureTimestampFromTsa_ProvesTheTime()
    {
        var certificate = await _pki.IssueAsync();
        var input = _pki.Dir.File("bt.pdf");
        var output = _pki.Dir.File("bt.signed.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic());
        using (var prepared = PadesSigner.Prepare(input, output, _pki.Clock.GetUtcNow()))
        {
            var cms = CadesSigner.SignDigest(prepared.Sha256, _pki.Signer(certificate));
            var augmented = await new CadesAugmenter(new HttpTimestampClient(_pki.Http, new Uri(_pki.Base, "/tsa")), null).AugmentAsync(cms, CadesLevel.BaselineT, null, CancellationToken.None);
            prepared.Complete(augmented.Signature);
        }

        var single = Assert.Single((await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromFile(output)))).Signatures);
        Assert.True(single.IsValid, single.Message);
        Assert.Equal("B-T", single.Level);
        Assert.True(single.BestSignatureTimeProven);
        Assert.Equal(Indication.TotalPassed, Assert.Single(single.Timestamps).Indication);
    }

    [Fact]
    public async Task Truncated_FormatFailure()
    {
        var signed = await SignedAsync("truncated");
        foreach (var length in new[] { signed.Length - 10, signed.Length / 2, 200, 9 })
        {
            var single = Assert.Single((await ValidateAsync(signed[..length])).Signatures);
            Assert.Equal(Indication.TotalFailed, single.Indication);
            Assert.Equal(SubIndication.FormatFailure, single.SubIndication);
        }
    }

    [Fact]
    public async Task BrokenXref_FormatFailureNamingIt()
    {
        var signed = Encoding.Latin1.GetString(await SignedAsync("xref"));
        var at = signed.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10;
        var end = signed.IndexOf('\n', at);
        var broken = signed[..at] + "123" + signed[end..];

        var single = Assert.Single((await ValidateAsync(Encoding.Latin1.GetBytes(broken))).Signatures);
        Assert.Equal(SubIndication.FormatFailure, single.SubIndication);
        Assert.Contains("cross-reference", single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HybridXrefStmBroken_FormatFailure()
    {
        var pdf = Encoding.Latin1.GetString(TestPdf.Classic());
        var broken = pdf.Replace("/Root 1 0 R", "/Root 1 0 R /XRefStm 20", StringComparison.Ordinal);

        var single = Assert.Single((await ValidateAsync(Encoding.Latin1.GetBytes(broken))).Signatures);
        Assert.Equal(SubIndication.FormatFailure, single.SubIndication);
        Assert.Contains("XRefStm", single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByteRangeNotCoveringTheFile_FormatFailure()
    {
        var signed = Encoding.Latin1.GetString(await SignedAsync("range"));
        var at = signed.IndexOf("/ByteRange [0 ", StringComparison.Ordinal) + 11;
        var close = signed.IndexOf(']', at);
        var numbers = signed[(at + 1)..close].Split(' ').Select(long.Parse).ToArray();
        var shorter = $"[0 {numbers[1]} {numbers[2]} {numbers[3] - 100}]".PadRight(close - at + 1);
        var changed = signed[..at] + shorter + signed[(close + 1)..];

        var single = Assert.Single((await ValidateAsync(Encoding.Latin1.GetBytes(changed))).Signatures);
        Assert.Equal(Indication.TotalFailed, single.Indication);
        Assert.Equal(SubIndication.FormatFailure, single.SubIndication);
        Assert.Contains("not the end of a revision", single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondContentsHiddenInLaterUpdate_RefusedAndReported()
    {
        var signed = await SignedAsync("hidden");
        var text = Encoding.Latin1.GetString(signed);
        var sigAt = text.IndexOf("/Type /Sig", StringComparison.Ordinal);
        var objStart = text.LastIndexOf(" 0 obj", sigAt, StringComparison.Ordinal);
        var number = text[(text.LastIndexOf('\n', objStart) + 1)..objStart];
        var byteRange = text[text.IndexOf("/ByteRange", sigAt, StringComparison.Ordinal)..text.IndexOf(']', sigAt)];
        var prev = text[(text.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0];
        var size = int.Parse(text[(text.LastIndexOf("/Size ", StringComparison.Ordinal) + 6)..].Split('/', '>')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // The attacker's update: the same signature object again, same /ByteRange, another /Contents.
        var objectOffset = signed.Length;
        var update = $"{number} 0 obj\n<</Type /Sig/Filter /Adobe.PPKLite/SubFilter /ETSI.CAdES.detached{byteRange}]/Contents <3082DEADBEEF>>>\nendobj\n";
        var xrefOffset = objectOffset + update.Length;
        update += $"xref\n{number} 1\n{objectOffset:D10} 00000 n\r\ntrailer\n<</Size {size}/Root 1 0 R/Prev {prev}>>\nstartxref\n{xrefOffset}\n%%EOF\n";
        var attacked = signed.Concat(Encoding.Latin1.GetBytes(update)).ToArray();

        var report = await ValidateAsync(attacked);
        Assert.False(report.IsValid);
        Assert.Equal(2, report.Signatures.Count);
        var original = report.Signatures.Single(s => s.Indication == Indication.TotalPassed || s.Indication == Indication.Indeterminate);
        Assert.Contains(original.Warnings, w => w.Contains("Changed after signing", StringComparison.Ordinal) && w.Contains("(/Sig)", StringComparison.Ordinal));
        var hidden = report.Signatures.Single(s => s.Indication == Indication.TotalFailed);
        Assert.Equal(SubIndication.FormatFailure, hidden.SubIndication);
        Assert.Contains("not exactly this signature's /Contents", hidden.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RandomCorruption_NeverThrows()
    {
        var signed = await SignedAsync("random");
        var random = new Random(15);
        for (var i = 0; i < 40; i++)
        {
            var copy = signed.ToArray();
            for (var k = 0; k < 8; k++)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            var report = await ValidateAsync(copy);
            Assert.All(report.Signatures, s => Assert.False(string.IsNullOrEmpty(s.Message)));
        }
    }

    private async Task<byte[]> SignedAsync(string name)
    {
        var certificate = await _pki.IssueAsync();
        var input = _pki.Dir.File(name + ".pdf");
        var output = _pki.Dir.File(name + ".signed.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic());
        PadesSigner.Sign(input, output, _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        return await File.ReadAllBytesAsync(output);
    }

    private Task<ValidationReport> ValidateAsync(byte[] pdf)
        => _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(pdf, "test.pdf")));

    private static async Task InstallSignpdfAsync()
    {
        await NpmOnce.WaitAsync();
        try
        {
            if (!_installed)
            {
                var (exit, output, error) = await ExternalTool.RunAsync("npm", "npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], workingDirectory: SignpdfFolder);
                Assert.True(exit == 0, $"npm ci failed in {SignpdfFolder}: {Encoding.UTF8.GetString(output)} {error}");
                _installed = true;
            }
        }
        finally
        {
            NpmOnce.Release();
        }
    }
}
