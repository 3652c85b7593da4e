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
/// XML signatures against the real authority and its <c>/tsa</c>: XMLDSig enveloped, enveloping and detached with
/// XAdES B-B, B-T, B-LT (offline from the embedded data) and B-LTA, judged by our validator and by <c>xmlsec1 --verify</c> (libxmlsec1 + OpenSSL, with our sign CA
/// as the only trusted root); a signature made by <c>xmlsec1 --sign</c> with a certificate of our authority, judged by
/// us; and hostile input (a changed document, a changed SignedInfo, a wrong reference digest, XXE and DTDs, signature
/// wrapping) refused by us — and by xmlsec1 where it can judge — with a clear negative verdict.
/// </summary>
public sealed class XadesTests : IClassFixture<SigningAuthority>
{
    private const string Shinsei =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<申請書 xmlns=\"urn:openjpki:test:shinsei\">\n" +
        "  <手続 Id=\"proc\">住民票の写しの交付請求</手続>\n" +
        "  <氏名>公的　太郎</氏名>\n" +
        "</申請書>\n";

    private static readonly byte[] Document = Encoding.UTF8.GetBytes(Shinsei);

    private readonly SigningAuthority _pki;

    public XadesTests(SigningAuthority pki) => _pki = pki;

    public static TheoryData<XmlSignaturePlacement, string> PlacementsAndLevels => new()
    {
        { XmlSignaturePlacement.Enveloped, "B-B" },
        { XmlSignaturePlacement.Enveloped, "B-T" },
        { XmlSignaturePlacement.Detached, "B-B" },
        { XmlSignaturePlacement.Detached, "B-T" },
        { XmlSignaturePlacement.Enveloping, "B-B" },
        { XmlSignaturePlacement.Enveloping, "B-T" },
        { XmlSignaturePlacement.Enveloped, "B-LT" },
        { XmlSignaturePlacement.Enveloped, "B-LTA" },
        { XmlSignaturePlacement.Detached, "B-LTA" },
    };

    [Theory]
    [MemberData(nameof(PlacementsAndLevels))]
    public async Task Sign_EachPlacementAndLevel_TotalPassedAndXmlsec1Accepts(XmlSignaturePlacement placement, string levelName)
    {
        Assert.True(CadesLevels.TryParse(levelName, out var level));
        var certificate = await _pki.IssueAsync();
        var name = $"{placement}-{levelName}".ToLowerInvariant();

        var signed = await SignAsync(certificate, placement, level, name + ".txt");
        var report = await _pki.Validator().ValidateAsync(Input(signed, placement, name + ".txt"));

        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");
        Assert.Equal("XAdES", report.Format);
        Assert.Equal(levelName, single.Level);
        Assert.Equal(level >= CadesLevel.BaselineT, single.BestSignatureTimeProven);
        Assert.Equal(level == CadesLevel.BaselineLta ? 2 : level >= CadesLevel.BaselineT ? 1 : 0, single.Timestamps.Count);
        if (level >= CadesLevel.BaselineLt)
        {
            Assert.True(single.Embedded.OcspResponses + single.Embedded.Crls > 0);
            var offline = await _pki.Validator(online: false).ValidateAsync(Input(signed, placement, name + ".txt"));
            Assert.True(offline.IsValid, offline.Signatures[0].Message);
        }

        Assert.All(single.Timestamps, t => Assert.Equal(Indication.TotalPassed, t.Indication));
        Assert.Equal(certificate.Thumbprint, single.SignerCertificate!.Thumbprint);
        Assert.Contains(placement switch
        {
            XmlSignaturePlacement.Enveloped => "the whole document",
            XmlSignaturePlacement.Detached => $"the detached file '{name}.txt'",
            _ => "(Id 'Signature-Object')",
        }, single.SignedObjects[0], StringComparison.Ordinal);

        var xmlsec = await Xmlsec1VerifyAsync(signed, name, placement == XmlSignaturePlacement.Detached ? Document : null);
        Assert.True(xmlsec.Exit == 0, xmlsec.Error);
        Assert.Contains("OK", xmlsec.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(XmlSignaturePlacement.Enveloped)]
    [InlineData(XmlSignaturePlacement.Detached)]
    public async Task ChangedDocument_HashFailure_AndXmlsec1Refuses(XmlSignaturePlacement placement)
    {
        var certificate = await _pki.IssueAsync();
        var name = $"changed-{placement}".ToLowerInvariant();
        var signed = await SignAsync(certificate, placement, CadesLevel.BaselineB, name + ".txt");
        var changedDocument = Encoding.UTF8.GetBytes(Shinsei.Replace("太郎", "次郎", StringComparison.Ordinal));
        var input = placement == XmlSignaturePlacement.Detached
            ? new SignedDocument(DocumentSource.FromBytes(changedDocument, name + ".txt"), DocumentSource.FromBytes(signed))
            : new SignedDocument(DocumentSource.FromBytes(Replace(signed, "太郎", "次郎")));

        var report = await _pki.Validator().ValidateAsync(input);

        var single = Assert.Single(report.Signatures);
        Assert.Equal(Indication.TotalFailed, single.Indication);
        Assert.Equal(SubIndication.HashFailure, single.SubIndication);
        var xmlsec = placement == XmlSignaturePlacement.Detached
            ? await Xmlsec1VerifyAsync(signed, name, changedDocument)
            : await Xmlsec1VerifyAsync(Replace(signed, "太郎", "次郎"), name, null);
        Assert.NotEqual(0, xmlsec.Exit);
    }

    [Fact]
    public async Task ChangedSignedInfo_SigCryptoFailure_AndXmlsec1Refuses()
    {
        var certificate = await _pki.IssueAsync();
        var signed = await SignAsync(certificate, XmlSignaturePlacement.Enveloped, CadesLevel.BaselineB, null);

        // The references still resolve and digest correctly; only the signed SignedInfo differs (a Reference Id).
        var tampered = Replace(signed, "Id=\"Signature-Reference-0\"", "Id=\"Signature-Reference-X\"");
        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(tampered)));

        var single = Assert.Single(report.Signatures);
        Assert.Equal(Indication.TotalFailed, single.Indication);
        Assert.Equal(SubIndication.SigCryptoFailure, single.SubIndication);
        Assert.NotEqual(0, (await Xmlsec1VerifyAsync(tampered, "signedinfo", null)).Exit);
    }

    [Fact]
    public async Task WrongReferenceDigest_HashFailure_AndXmlsec1Refuses()
    {
        var certificate = await _pki.IssueAsync();
        var signed = await SignAsync(certificate, XmlSignaturePlacement.Enveloped, CadesLevel.BaselineB, null);
        var xml = new System.Xml.XmlDocument { PreserveWhitespace = true };
        xml.Load(new MemoryStream(signed));
        var digest = xml.GetElementsByTagName("DigestValue", "http://www.w3.org/2000/09/xmldsig#")[0]!;
        digest.InnerText = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("another document")));
        using var buffer = new MemoryStream();
        xml.Save(buffer);
        var tampered = buffer.ToArray();

        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(tampered)));

        var single = Assert.Single(report.Signatures);
        Assert.Equal(Indication.TotalFailed, single.Indication);
        Assert.Equal(SubIndication.HashFailure, single.SubIndication);
        Assert.NotEqual(0, (await Xmlsec1VerifyAsync(tampered, "digest", null)).Exit);
    }

    [Fact]
    public async Task SignatureWrapping_SecondElementWithTheSignedId_Refused()
    {
        var certificate = await _pki.IssueAsync();
        var signed = XadesSigner.Sign(Document, _pki.Signer(certificate), _pki.Clock.GetUtcNow(), new XadesSignOptions { ReferenceId = "proc" });
        Assert.True((await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(signed)))).IsValid);

        // The classic wrapping attack: a forged element carrying the signed Id where the application reads, the signed one kept elsewhere.
        var wrapped = Replace(signed, "<氏名>", "<手続 Id=\"proc\">印鑑登録の廃止</手続><氏名>");
        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(wrapped)));

        var single = Assert.Single(report.Signatures);
        Assert.False(single.IsValid);
        Assert.Equal(SubIndication.FormatFailure, single.SubIndication);
        Assert.Contains("more than one element", single.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> HostileXml => new()
    {
        { "xxe", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></r>" },
        { "billion-laughs", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]><r>&h;</r>" },
        { "dtd-only", "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://127.0.0.1:1/evil.dtd\"><r/>" },
        { "truncated", "<r><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>" },
        { "no-signature", "<r>no signature here</r>" },
        { "empty-signature", "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>" },
    };

    [Theory]
    [MemberData(nameof(HostileXml))]
    public async Task HostileXml_ClearNegativeVerdict_NoException(string what, string xml)
    {
        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(Encoding.UTF8.GetBytes(xml))));

        Assert.False(report.IsValid, what);
        var single = Assert.Single(report.Signatures);
        Assert.NotEqual(Indication.TotalPassed, single.Indication);
        Assert.False(string.IsNullOrWhiteSpace(single.Message));
        if (what is "xxe" or "billion-laughs" or "dtd-only")
        {
            Assert.Contains("DTD", single.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Xmlsec1SignedEnvelopedSignature_WithOurCertificate_TotalPassed_TamperedOneFails()
    {
        var certificate = await _pki.IssueAsync();
        var signed = await Xmlsec1Signer.SignEnvelopedAsync(_pki, certificate, Shinsei, "x");

        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(signed)));
        var tampered = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(Replace(signed, "太郎", "次郎"))));

        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");
        Assert.Equal(certificate.Thumbprint, single.SignerCertificate!.Thumbprint);
        Assert.Equal("the whole document", Assert.Single(single.SignedObjects));
        Assert.Equal(SubIndication.HashFailure, Assert.Single(tampered.Signatures).SubIndication);
    }

    private async Task<byte[]> SignAsync(X509Certificate2 certificate, XmlSignaturePlacement placement, CadesLevel level, string? detachedName)
    {
        var options = new XadesSignOptions { Placement = placement, DetachedUri = placement == XmlSignaturePlacement.Detached ? detachedName : null };
        var signed = XadesSigner.Sign(Document, _pki.Signer(certificate), _pki.Clock.GetUtcNow(), options);
        if (level == CadesLevel.BaselineB)
        {
            return signed;
        }

        var augmenter = new XadesAugmenter(
            new HttpTimestampClient(_pki.Http, new Uri(_pki.Base, "/tsa")),
            new OnlineValidationDataSource(_pki.Http, new OnlineValidationDataOptions { ExtraCertificates = [_pki.SignCa, _pki.TsaRoot] }));
        var result = await augmenter.AugmentAsync(signed, level, placement == XmlSignaturePlacement.Detached ? Document : null, null, CancellationToken.None);
        Assert.Empty(result.Problems);
        return result.Signature;
    }

    private static SignedDocument Input(byte[] signed, XmlSignaturePlacement placement, string name) => placement == XmlSignaturePlacement.Detached
        ? new SignedDocument(DocumentSource.FromBytes(Document, name), DocumentSource.FromBytes(signed))
        : new SignedDocument(DocumentSource.FromBytes(signed));

    private static byte[] Replace(byte[] xml, string from, string to)
    {
        var text = Encoding.UTF8.GetString(xml);
        Assert.Contains(from, text, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>xmlsec1 --verify</c> with our sign CA as the only trusted root; the XAdES SignedProperties Id is declared as an
    /// ID attribute (xmlsec1 only knows XMLDSig's own); a detached file is written beside the signature under the name its reference gives.
    /// </summary>
    private async Task<(int Exit, string Error)> Xmlsec1VerifyAsync(byte[] signed, string name, byte[]? detached)
    {
        var dir = _pki.Dir;
        File.WriteAllText(dir.File("signca.pem"), _pki.SignCa.ExportCertificatePem());
        File.WriteAllBytes(dir.File(name + ".xml"), signed);
        if (detached is not null)
        {
            File.WriteAllBytes(dir.File(name + ".txt"), detached);
        }

        var (exit, _, error) = await ExternalTool.RunAsync(
            "xmlsec1",
            "xmlsec1",
            ["--verify", "--trusted-pem", dir.File("signca.pem"), "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", name + ".xml"],
            workingDirectory: dir.Path);
        return (exit, error);
    }
}
