using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Signers;
using Jpki.Signing.Tests.Support;
using Jpki.Signing.Timestamps;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Pades;

/// <summary>
/// PAdES B-LT (DSS dictionary with /VRI) and B-LTA (document time-stamp) made by <see cref="PadesAugmenter"/> against the
/// real authority (<c>/ocsp</c>, <c>/crl</c>, <c>/tsa</c> over HTTP): pdfsig lists the document time-stamp and keeps the
/// signature valid, <c>openssl ts -verify</c> accepts the document time-stamp token over the byte ranges, our validator
/// passes the signature offline from the DSS alone and at a past time after revocation; a tampered DSS stream and a
/// later change of the page content are refused or reported. Run with both profiles: today's RSA authority and key
/// (<see cref="PadesLongTermTests"/>), and a next-generation P-384 authority with the signature made on a next-generation
/// card (<see cref="PadesLongTermNextGenerationTests"/>: byte ranges hashed with SHA-384, ecdsa-with-SHA384).
/// </summary>
public abstract class PadesLongTermTestsBase
{
    private protected readonly SigningAuthority _pki;

    private protected PadesLongTermTestsBase(SigningAuthority pki) => _pki = pki;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BLta_PdfsigListsDocumentTimestamp_OpensslVerifiesIt_WeValidateOffline(bool xrefStream)
    {
        var certificate = await _pki.IssueAsync();
        var name = xrefStream ? "lta-xref" : "lta-classic";
        var bt = await SignBtAsync(certificate, name, xrefStream);
        var lta = _pki.Dir.File(name + ".lta.pdf");
        var btBytes = await File.ReadAllBytesAsync(bt);

        var problems = await Augmenter().AugmentAsync(bt, lta, CadesLevel.BaselineLta, CancellationToken.None);

        Assert.Empty(problems);
        var bytes = await File.ReadAllBytesAsync(lta);
        Assert.Equal(btBytes, bytes[..btBytes.Length]);
        var text = Encoding.Latin1.GetString(bytes);
        Assert.Equal(Regex.Matches(Encoding.Latin1.GetString(btBytes), "%%EOF").Count + 2, Regex.Matches(text, "%%EOF").Count);

        // The DSS: a /VRI entry keyed by the upper-case hex SHA-1 of the signature's /Contents (DER, padding removed).
        var signatureCms = ContentsOf(text, 0);
        var vriKey = Convert.ToHexString(SHA1.HashData(signatureCms));
        Assert.Contains("/Type /DSS", text, StringComparison.Ordinal);
        Assert.Contains("/" + vriKey + " <</Cert [", text, StringComparison.Ordinal);
        Assert.Matches("/OCSPs \\[|/CRLs \\[", text);
        Assert.Contains("/Type /DocTimeStamp", text, StringComparison.Ordinal);
        Assert.Contains("/SubFilter /ETSI.RFC3161", text, StringComparison.Ordinal);

        // Our validator, offline: the chain and revocation answers come from the DSS alone.
        var report = await _pki.Validator(online: false).ValidateAsync(new SignedDocument(DocumentSource.FromFile(lta)));
        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");
        Assert.Equal("B-LTA", single.Level);
        Assert.Equal([TimestampKind.Signature, TimestampKind.Document], single.Timestamps.Select(t => t.Kind));
        Assert.All(single.Timestamps, t => Assert.Equal(Indication.TotalPassed, t.Indication));
        Assert.True(single.Embedded.Certificates >= 2 && single.Embedded.OcspResponses + single.Embedded.Crls >= 1, $"{single.Embedded}");
        Assert.Contains(single.Warnings, w => w.Contains("2 incremental update(s) after this signature", StringComparison.Ordinal));
        Assert.DoesNotContain(single.Warnings, w => w.Contains("Changed after signing", StringComparison.Ordinal));

        // pdfsig: the signature still valid after the DSS and document time-stamp updates; the document time-stamp listed
        // as the last signature, signed by our TSA, over the whole file. poppler 22.12 does not know /SubFilter
        // /ETSI.RFC3161 ("Signature Type: unknown", not verified): openssl judges the token below.
        var pdfsig = await PdfsigAsync(lta);
        Assert.Contains("Signature #1:", pdfsig, StringComparison.Ordinal);
        Assert.Contains("Signature #2:", pdfsig, StringComparison.Ordinal);
        var first = pdfsig[pdfsig.IndexOf("Signature #1:", StringComparison.Ordinal)..pdfsig.IndexOf("Signature #2:", StringComparison.Ordinal)];
        var second = pdfsig[pdfsig.IndexOf("Signature #2:", StringComparison.Ordinal)..];
        Assert.Contains("Signature Validation: Signature is Valid.", first, StringComparison.Ordinal);
        Assert.Contains("Signature Field Name: DocTimeStamp1", second, StringComparison.Ordinal);
        // The folder authority of the nextgen run has production names ("OpenJpki TSA 1"), the RSA fixture test names.
        Assert.Matches("Signer Certificate Common Name: OpenJpki (Test )?TSA 1", second);
        Assert.Contains("Signature Type: unknown", second, StringComparison.Ordinal);
        Assert.Contains("- Total document signed", second, StringComparison.Ordinal);
        Assert.Contains("- Not total document signed", first, StringComparison.Ordinal);

        // openssl ts -verify: the document time-stamp token over the byte ranges it names, with our TSA root trusted.
        var verify = await OpensslVerifyDocumentTimestampAsync(bytes, name);
        Assert.True(verify.ExitCode == 0 && verify.Stdout.Contains("Verification: OK", StringComparison.Ordinal), verify.Stdout + verify.Stderr);
    }

    [Fact]
    public async Task AugmentBbToBLt_DocumentTimestampMakesItBT_ThenDss()
    {
        var certificate = await _pki.IssueAsync();
        var input = _pki.Dir.File("bb-to-lt.pdf");
        var signed = _pki.Dir.File("bb-to-lt.signed.pdf");
        var lt = _pki.Dir.File("bb-to-lt.lt.pdf");
        await File.WriteAllBytesAsync(input, TestPdf.Classic());
        PadesSigner.Sign(input, signed, _pki.Signer(certificate), _pki.Clock.GetUtcNow());

        Assert.Empty(await Augmenter().AugmentAsync(signed, lt, CadesLevel.BaselineLt, CancellationToken.None));

        var single = Assert.Single((await _pki.Validator(online: false).ValidateAsync(new SignedDocument(DocumentSource.FromFile(lt)))).Signatures);
        Assert.True(single.IsValid, single.Message);
        Assert.Equal("B-LT", single.Level);
        Assert.Equal(TimestampKind.Document, Assert.Single(single.Timestamps).Kind);
        Assert.Empty(Directory.GetFiles(_pki.Dir.Path, "*.step"));

        // Renewal: B-LTA on a B-LT/B-LTA file adds the newest time-stamp's data to the DSS, then another document time-stamp.
        var lta = _pki.Dir.File("bb-to-lt.lta.pdf");
        Assert.Empty(await Augmenter().AugmentAsync(lt, lta, CadesLevel.BaselineLta, CancellationToken.None));
        Assert.Empty(await Augmenter().AugmentAsync(lta, lta, CadesLevel.BaselineLta, CancellationToken.None));
        var renewed = Assert.Single((await _pki.Validator(online: false).ValidateAsync(new SignedDocument(DocumentSource.FromFile(lta)))).Signatures);
        Assert.True(renewed.IsValid, renewed.Message);
        Assert.Equal("B-LTA", renewed.Level);
        Assert.Equal(3, renewed.Timestamps.Count(t => t.Kind == TimestampKind.Document));
    }

    [Fact]
    public async Task RevokedAfterSigning_BLtaPassesAtThePastTime_BTPasses_BareBRevokedNoPoe()
    {
        var certificate = await _pki.IssueAsync();
        var bt = await SignBtAsync(certificate, "revoked", xrefStream: false);
        var lta = _pki.Dir.File("revoked.lta.pdf");
        Assert.Empty(await Augmenter().AugmentAsync(bt, lta, CadesLevel.BaselineLta, CancellationToken.None));
        var bare = _pki.Dir.File("revoked.bb.pdf");
        PadesSigner.Sign(_pki.Dir.File("revoked.pdf"), bare, _pki.Signer(certificate), _pki.Clock.GetUtcNow());

        _pki.Clock.Advance(TimeSpan.FromHours(2));
        await _pki.RevokeAsync(certificate, _pki.Clock.GetUtcNow().AddHours(-1));

        var ltaReport = Assert.Single((await _pki.Validator(online: false).ValidateAsync(new SignedDocument(DocumentSource.FromFile(lta)))).Signatures);
        var btReport = Assert.Single((await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromFile(bt)))).Signatures);
        var bareReport = Assert.Single((await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromFile(bare)))).Signatures);

        Assert.True(ltaReport.IsValid, $"{ltaReport.Indication}/{ltaReport.SubIndication}: {ltaReport.Message}");
        Assert.True(ltaReport.BestSignatureTimeProven);
        Assert.True(ltaReport.BestSignatureTime < _pki.Clock.GetUtcNow().AddHours(-1));
        Assert.True(btReport.IsValid, btReport.Message);
        Assert.Equal(Indication.Indeterminate, bareReport.Indication);
        Assert.Equal(SubIndication.RevokedNoPoe, bareReport.SubIndication);
    }

    [Fact]
    public async Task TamperedDssStream_DocumentTimestampFails_OpensslImprintMismatch()
    {
        var certificate = await _pki.IssueAsync();
        var bt = await SignBtAsync(certificate, "dss-tamper", xrefStream: false);
        var lta = _pki.Dir.File("dss-tamper.lta.pdf");
        Assert.Empty(await Augmenter().AugmentAsync(bt, lta, CadesLevel.BaselineLta, CancellationToken.None));
        var bytes = await File.ReadAllBytesAsync(lta);
        var text = Encoding.Latin1.GetString(bytes);

        // The first stream of the DSS update (a certificate): one byte inside its data flipped.
        var at = text.IndexOf("stream\n", (int)new FileInfo(bt).Length, StringComparison.Ordinal) + 7;
        bytes[at + 40] ^= 0x01;
        var tampered = _pki.Dir.File("dss-tamper.changed.pdf");
        await File.WriteAllBytesAsync(tampered, bytes);

        var single = Assert.Single((await _pki.Validator(online: false).ValidateAsync(new SignedDocument(DocumentSource.FromFile(tampered)))).Signatures);
        Assert.False(single.IsValid);
        Assert.Equal(Indication.Indeterminate, single.Indication);
        Assert.Equal(SubIndication.SigConstraintsFailure, single.SubIndication);
        Assert.Contains("document time-stamp", single.Message, StringComparison.Ordinal);

        // openssl agrees the document time-stamp no longer matches its byte ranges; the signature itself (which does
        // not cover the DSS) stays valid for pdfsig.
        var verify = await OpensslVerifyDocumentTimestampAsync(bytes, "dss-tamper");
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("message imprint mismatch", verify.Stdout + verify.Stderr, StringComparison.Ordinal);
        var pdfsig = await PdfsigAsync(tampered);
        Assert.Contains("Signature is Valid.", pdfsig[..pdfsig.IndexOf("Signature #2:", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageContentChangedAfterBLta_ReportedByUs_PdfsigNotTotalDocument()
    {
        var certificate = await _pki.IssueAsync();
        var bt = await SignBtAsync(certificate, "page-change", xrefStream: false);
        var lta = _pki.Dir.File("page-change.lta.pdf");
        Assert.Empty(await Augmenter().AugmentAsync(bt, lta, CadesLevel.BaselineLta, CancellationToken.None));
        var signed = await File.ReadAllBytesAsync(lta);
        var text = Encoding.Latin1.GetString(signed);
        var prev = text[(text.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0];
        var size = Regex.Matches(text, "/Size (\\d+)").Last().Groups[1].Value;

        // A later revision that replaces the page's content stream (object 4 of TestPdf.Classic).
        const string content = "BT /F1 18 Tf 72 720 Td (Koseki request) Tj ET";
        var update = $"4 0 obj\n<< /Length {content.Length} >>\nstream\n{content}\nendstream\nendobj\n";
        var xref = signed.Length + update.Length;
        update += $"xref\n4 1\n{signed.Length:D10} 00000 n\r\ntrailer\n<</Size {size}/Root 1 0 R/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n";
        var changed = _pki.Dir.File("page-change.changed.pdf");
        await File.WriteAllBytesAsync(changed, [.. signed, .. Encoding.Latin1.GetBytes(update)]);

        var single = Assert.Single((await _pki.Validator(online: false).ValidateAsync(new SignedDocument(DocumentSource.FromFile(changed)))).Signatures);
        Assert.Contains(single.Warnings, w => w.Contains("Changed after signing", StringComparison.Ordinal) && w.Contains("object 4", StringComparison.Ordinal));
        Assert.Contains("revision 2 of 5", Assert.Single(single.SignedObjects), StringComparison.Ordinal);

        var pdfsig = await PdfsigAsync(changed, expectValid: false);
        Assert.DoesNotContain("Total document signed", pdfsig, StringComparison.Ordinal);
        Assert.Equal(2, PadesTests.CountOf(pdfsig, "- Not total document signed"));
    }

    private PadesAugmenter Augmenter() => new(
        new HttpTimestampClient(_pki.Http, new Uri(_pki.Base, "/tsa")),
        new OnlineValidationDataSource(_pki.Http, new OnlineValidationDataOptions { ExtraCertificates = [_pki.SignCa, _pki.TsaRoot] }));

    /// <summary>A PDF signed at B-T (signature time-stamp from /tsa in the CMS).</summary>
    private async Task<string> SignBtAsync(X509Certificate2 certificate, string name, bool xrefStream)
    {
        var input = _pki.Dir.File(name + ".pdf");
        var output = _pki.Dir.File(name + ".bt.pdf");
        await File.WriteAllBytesAsync(input, xrefStream ? await TestPdf.XrefStreamAsync(_pki.Dir.Path) : TestPdf.Classic());
        using var prepared = PadesSigner.Prepare(input, output, _pki.Clock.GetUtcNow());
        var signer = _pki.Signer(certificate);
        var cms = CadesSigner.SignDigest(prepared.Hash(SignerKeys.HashFor(signer)), signer);
        var augmented = await new CadesAugmenter(new HttpTimestampClient(_pki.Http, new Uri(_pki.Base, "/tsa")), null).AugmentAsync(cms, CadesLevel.BaselineT, null, CancellationToken.None);
        prepared.Complete(augmented.Signature);
        return output;
    }

    /// <summary>The DER in the <paramref name="index"/>-th <c>/Contents &lt;…&gt;</c> of the file, padding removed.</summary>
    private static byte[] ContentsOf(string text, int index)
    {
        var start = -1;
        for (var i = 0; i <= index; i++)
        {
            start = text.IndexOf("/Contents <", start + 1, StringComparison.Ordinal);
        }

        var padded = Convert.FromHexString(text[(start + 11)..text.IndexOf('>', start + 11)]);
        _ = System.Formats.Asn1.AsnDecoder.ReadEncodedValue(padded, System.Formats.Asn1.AsnEncodingRules.BER, out _, out _, out var length);
        return padded[..length];
    }

    /// <summary><c>openssl ts -verify</c> of the last signature field's token (the document time-stamp) over the bytes its <c>/ByteRange</c> names.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> OpensslVerifyDocumentTimestampAsync(byte[] bytes, string name)
    {
        var (range, token) = LastSignature(bytes);
        var data = _pki.Dir.File(name + ".ranges.bin");
        await File.WriteAllBytesAsync(data, [.. bytes.AsSpan((int)range[0], (int)range[1]), .. bytes.AsSpan((int)range[2], (int)range[3])]);
        var tokenFile = _pki.Dir.File(name + ".tst");
        await File.WriteAllBytesAsync(tokenFile, token);
        var root = _pki.Dir.File(name + ".tsa-root.pem");
        await File.WriteAllTextAsync(root, _pki.TsaRoot.ExportCertificatePem());
        return OpenSsl.Run("ts", "-verify", "-in", tokenFile, "-token_in", "-data", data, "-CAfile", root);
    }

    /// <summary>The last <c>/ByteRange</c> of the file and the DER token in the <c>/Contents</c> that follows it.</summary>
    private static (long[] Range, byte[] Token) LastSignature(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var at = text.LastIndexOf("/ByteRange [", StringComparison.Ordinal) + 12;
        var range = text[at..text.IndexOf(']', at)].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        var contents = text.IndexOf("/Contents <", at, StringComparison.Ordinal);
        return (range, ContentsOf(text[contents..], 0));
    }

    /// <summary><c>pdfsig</c> with a fresh NSS database trusting our sign CA.</summary>
    private async Task<string> PdfsigAsync(string pdf, bool expectValid = true)
    {
        var nss = _pki.Dir.File("nss-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(nss);
        var (exit, _, error) = await ExternalTool.RunAsync("certutil", "libnss3-tools", ["-N", "-d", "sql:" + nss, "--empty-password"]);
        Assert.True(exit == 0, error);
        await File.WriteAllTextAsync(Path.Combine(nss, "signca.pem"), _pki.SignCa.ExportCertificatePem());
        (exit, _, error) = await ExternalTool.RunAsync("certutil", "libnss3-tools", ["-A", "-d", "sql:" + nss, "-n", "OpenJpki sign CA", "-t", "CT,C,C", "-a", "-i", Path.Combine(nss, "signca.pem")]);
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

/// <summary>PAdES B-LT/B-LTA with today's RSA authority and a software RSA key.</summary>
public sealed class PadesLongTermTests(SigningAuthority pki) : PadesLongTermTestsBase(pki), IClassFixture<SigningAuthority>;

/// <summary>PAdES B-LT/B-LTA with a next-generation authority (P-384) and the signature made on a next-generation card.</summary>
public sealed class PadesLongTermNextGenerationTests(NextGenerationSigningAuthority pki) : PadesLongTermTestsBase(pki), IClassFixture<NextGenerationSigningAuthority>;
