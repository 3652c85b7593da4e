using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Signing.Cades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Tests.Support;
using Jpki.Signing.Timestamps;
using Jpki.Signing.Xades;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Xades;

/// <summary>
/// XML signatures side by side and over time: several independent (parallel) signatures in one document, each judged
/// by our validator and by <c>xmlsec1 --verify --node-id</c>; a XAdES signature made before its certificate was revoked
/// (B-LTA and B-T still pass at the past time their time-stamps prove, a bare B-B does not); and a plain XMLDSig made by
/// <c>xmlsec1 --sign</c> augmented by us to B-LTA, which xmlsec1 still accepts; a B-LTA renewed by a second archive
/// time-stamp. Run with both profiles: today's RSA authority and key (<see cref="XadesParallelAndLongTermTests"/>), and a
/// next-generation P-384 authority with the signatures made on a next-generation card
/// (<see cref="XadesParallelAndLongTermNextGenerationTests"/>: xmldsig-more#ecdsa-sha384, judged by xmlsec1 the same way).
/// </summary>
public abstract class XadesParallelAndLongTermTestsBase
{
    private protected const string Ns = "urn:openjpki:test:shinsei";

    private protected const string Shinsei =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<申請書 xmlns=\"" + Ns + "\">\n" +
        "  <手続 Id=\"proc\">住民票の写しの交付請求</手続>\n" +
        "  <氏名>公的　太郎</氏名>\n" +
        "</申請書>\n";

    private static readonly byte[] Document = Encoding.UTF8.GetBytes(Shinsei);

    private protected readonly SigningAuthority _pki;

    private protected XadesParallelAndLongTermTestsBase(SigningAuthority pki) => _pki = pki;

    [Fact]
    public async Task ParallelSignatures_SecondSignerAddsOne_BothPass_Xmlsec1AcceptsEach_TamperingBreaksBoth()
    {
        var first = await _pki.IssueAsync();
        var second = await _pki.IssueAsync();
        var options = new XadesSignOptions { ReferenceId = "proc" };
        var once = XadesSigner.Sign(Document, _pki.Signer(first), _pki.Clock.GetUtcNow(), options);
        var twice = XadesSigner.Sign(once, _pki.Signer(second), _pki.Clock.GetUtcNow().AddMinutes(5), options);

        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(twice)));

        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.True(s.IsValid, $"{s.Id}: {s.Indication}/{s.SubIndication}: {s.Message}"));
        Assert.Equal(["Signature", "Signature-2"], report.Signatures.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Contains(_pki.IsNextGeneration ? "xmldsig-more#ecdsa-sha384" : "xmldsig-more#rsa-sha256", Encoding.UTF8.GetString(twice), StringComparison.Ordinal);
        Assert.Equal(
            [first.Thumbprint, second.Thumbprint],
            report.Signatures.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => s.SignerCertificate!.Thumbprint));
        Assert.All(report.Signatures, s => Assert.Contains(s.SignedObjects, o => o.EndsWith("/手続[1] (Id 'proc')", StringComparison.Ordinal)));
        foreach (var id in new[] { "Signature", "Signature-2" })
        {
            var xmlsec = await Xmlsec1VerifyAsync(twice, "parallel", id);
            Assert.True(xmlsec.Exit == 0, $"{id}: {xmlsec.Error}");
            Assert.Contains("OK", xmlsec.Error, StringComparison.Ordinal);
        }

        // The signed element changed: both signatures fail, for us and for xmlsec1.
        var tampered = Replace(twice, "住民票の写しの交付請求", "印鑑登録の廃止");
        var broken = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(tampered)));
        Assert.Equal(2, broken.Signatures.Count);
        Assert.All(broken.Signatures, s => Assert.Equal(SubIndication.HashFailure, s.SubIndication));
        Assert.NotEqual(0, (await Xmlsec1VerifyAsync(tampered, "parallel-tampered", "Signature")).Exit);
        Assert.NotEqual(0, (await Xmlsec1VerifyAsync(tampered, "parallel-tampered", "Signature-2")).Exit);
    }

    [Fact]
    public async Task FirstSignatureOverTheWholeDocument_ASecondOneWouldBreakIt_Refused()
    {
        var certificate = await _pki.IssueAsync();
        var once = XadesSigner.Sign(Document, _pki.Signer(certificate), _pki.Clock.GetUtcNow());

        var refused = Assert.Throws<ArgumentException>(() => XadesSigner.Sign(once, _pki.Signer(certificate), _pki.Clock.GetUtcNow(), new XadesSignOptions { ReferenceId = "proc" }));

        Assert.Contains("would break signature 'Signature'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedAfterSigning_BLtaAndBTStillPassAtThePastTime_BareSignatureRevokedNoPoe()
    {
        var certificate = await _pki.IssueAsync();
        var signedAt = _pki.Clock.GetUtcNow();
        var bare = XadesSigner.Sign(Document, _pki.Signer(certificate), signedAt);
        var t = await AugmentAsync(bare, CadesLevel.BaselineT);
        var lta = await AugmentAsync(bare, CadesLevel.BaselineLta);

        _pki.Clock.Advance(TimeSpan.FromHours(2));
        await _pki.RevokeAsync(certificate, signedAt.AddHours(1));
        var bareReport = Assert.Single((await _pki.Validator().ValidateAsync(Input(bare))).Signatures);
        var tReport = Assert.Single((await _pki.Validator().ValidateAsync(Input(t))).Signatures);
        var ltaReport = Assert.Single((await _pki.Validator().ValidateAsync(Input(lta))).Signatures);
        var ltaOffline = Assert.Single((await _pki.Validator(online: false).ValidateAsync(Input(lta))).Signatures);

        Assert.Equal(Indication.Indeterminate, bareReport.Indication);
        Assert.Equal(SubIndication.RevokedNoPoe, bareReport.SubIndication);
        Assert.True(tReport.IsValid, $"{tReport.Indication}/{tReport.SubIndication}: {tReport.Message}");
        Assert.True(ltaReport.IsValid, $"{ltaReport.Indication}/{ltaReport.SubIndication}: {ltaReport.Message}");
        Assert.True(ltaOffline.IsValid, $"offline: {ltaOffline.Indication}/{ltaOffline.SubIndication}: {ltaOffline.Message}");
        Assert.Equal("B-LTA", ltaReport.Level);
        Assert.True(ltaReport.BestSignatureTimeProven);
        Assert.True(ltaReport.BestSignatureTime < signedAt.AddHours(1));
    }

    [Fact]
    public async Task BLtaRenewed_SecondArchiveTimeStamp_PassesOfflineLaterAndXmlsec1StillAccepts()
    {
        var certificate = await _pki.IssueAsync();
        var lta = await AugmentAsync(XadesSigner.Sign(Document, _pki.Signer(certificate), _pki.Clock.GetUtcNow()), CadesLevel.BaselineLta);
        _pki.Clock.Advance(TimeSpan.FromDays(30));

        var renewed = await AugmentAsync(lta, CadesLevel.BaselineLta);
        var report = Assert.Single((await _pki.Validator(online: false).ValidateAsync(Input(renewed))).Signatures);

        Assert.True(report.IsValid, $"{report.Indication}/{report.SubIndication}: {report.Message}");
        Assert.Equal("B-LTA", report.Level);
        Assert.Equal(3, report.Timestamps.Count);
        Assert.All(report.Timestamps, t => Assert.Equal(Indication.TotalPassed, t.Indication));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(Encoding.UTF8.GetString(renewed), "<xades141:ArchiveTimeStamp[ >]"));
        Assert.Equal(0, (await Xmlsec1VerifyAsync(renewed, "renewed", null)).Exit);
        Assert.Equal(SubIndication.HashFailure, Assert.Single((await _pki.Validator(online: false).ValidateAsync(Input(Replace(renewed, "太郎", "次郎")))).Signatures).SubIndication);
    }

    /// <summary>
    /// xmlsec1's own enveloped signature, made with a software key of the profile (RSA-SHA256 today, ECDSA-SHA384 with the next
    /// generation), augmented by us to B-LTA: ours passes it online and offline, xmlsec1 still accepts it, both refuse a change.
    /// </summary>
    [Fact]
    public async Task Xmlsec1SignedDocument_AugmentedToBLta_PassesAndXmlsec1StillAccepts_TamperedFails()
    {
        var certificate = await _pki.IssueForSoftwareKeyAsync();
        var signed = await Xmlsec1Signer.SignEnvelopedAsync(_pki, certificate, Shinsei, "a", "xmlsec-signature");

        Assert.Contains(_pki.IsNextGeneration ? "xmldsig-more#ecdsa-sha384" : "xmldsig-more#rsa-sha256", Encoding.UTF8.GetString(signed), StringComparison.Ordinal);
        var lta = await AugmentAsync(signed, CadesLevel.BaselineLta);
        var report = Assert.Single((await _pki.Validator().ValidateAsync(Input(lta))).Signatures);
        var offline = Assert.Single((await _pki.Validator(online: false).ValidateAsync(Input(lta))).Signatures);

        Assert.True(report.IsValid, $"{report.Indication}/{report.SubIndication}: {report.Message}");
        Assert.True(offline.IsValid, $"offline: {offline.Indication}/{offline.SubIndication}: {offline.Message}");
        Assert.Equal(certificate.Thumbprint, report.SignerCertificate!.Thumbprint);
        Assert.Equal(2, report.Timestamps.Count);
        Assert.All(report.Timestamps, s => Assert.Equal(Indication.TotalPassed, s.Indication));
        var xmlsec = await Xmlsec1VerifyAsync(lta, "augmented-xmlsec", null);
        Assert.True(xmlsec.Exit == 0, xmlsec.Error);
        var tampered = Replace(lta, "太郎", "次郎");
        Assert.Equal(SubIndication.HashFailure, Assert.Single((await _pki.Validator().ValidateAsync(Input(tampered))).Signatures).SubIndication);
        Assert.NotEqual(0, (await Xmlsec1VerifyAsync(tampered, "augmented-xmlsec-tampered", null)).Exit);
    }

    private protected async Task<byte[]> AugmentAsync(byte[] signed, CadesLevel level)
    {
        var augmenter = new XadesAugmenter(
            new HttpTimestampClient(_pki.Http, new Uri(_pki.Base, "/tsa")),
            new OnlineValidationDataSource(_pki.Http, new OnlineValidationDataOptions { ExtraCertificates = [_pki.SignCa, _pki.TsaRoot] }));
        var result = await augmenter.AugmentAsync(signed, level, null, null, CancellationToken.None);
        Assert.Empty(result.Problems);
        return result.Signature;
    }

    private protected static SignedDocument Input(byte[] signed) => new(DocumentSource.FromBytes(signed));

    private protected static byte[] Replace(byte[] xml, string from, string to)
    {
        var text = Encoding.UTF8.GetString(xml);
        Assert.Contains(from, text, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>xmlsec1 --verify</c> with our sign CA as the only trusted root, of the ds:Signature with Id
    /// <paramref name="nodeId"/> (else the first); the XAdES SignedProperties Id, the signed element's Id and, to select by
    /// <c>--node-id</c>, the ds:Signature Id are declared as ID attributes (xmlsec1 knows none of them by itself).
    /// </summary>
    private protected async Task<(int Exit, string Error)> Xmlsec1VerifyAsync(byte[] signed, string name, string? nodeId)
    {
        var dir = _pki.Dir;
        File.WriteAllText(dir.File("signca.pem"), _pki.SignCa.ExportCertificatePem());
        File.WriteAllBytes(dir.File(name + ".xml"), signed);
        List<string> args =
        [
            "--verify", "--trusted-pem", dir.File("signca.pem"),
            // At the fixture's time, not the machine's: a test that moved the fake clock on issues certificates whose
            // validity starts after the real now.
            "--verification-gmt-time", _pki.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            "--id-attr:Id", Ns + ":手続",
        ];
        if (nodeId is not null)
        {
            args.AddRange(["--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Signature", "--node-id", nodeId]);
        }

        args.Add(name + ".xml");
        var (exit, _, error) = await ExternalTool.RunAsync("xmlsec1", "xmlsec1", [.. args], workingDirectory: dir.Path);
        return (exit, error);
    }
}

/// <summary>XAdES side by side and over time with today's RSA authority and a software RSA key (xmlsec1's signature made with it, too).</summary>
public sealed class XadesParallelAndLongTermTests(SigningAuthority pki) : XadesParallelAndLongTermTestsBase(pki), IClassFixture<SigningAuthority>;

/// <summary>XAdES side by side and over time with a next-generation authority (P-384) and signatures made on a next-generation card.</summary>
public sealed class XadesParallelAndLongTermNextGenerationTests(NextGenerationSigningAuthority pki) : XadesParallelAndLongTermTestsBase(pki), IClassFixture<NextGenerationSigningAuthority>;
