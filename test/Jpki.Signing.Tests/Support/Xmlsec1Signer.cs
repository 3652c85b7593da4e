using System.Security.Cryptography.X509Certificates;
using Jpki.Testing;

namespace Jpki.Signing.Tests.Support;

/// <summary>
/// The outside signer of the XML tests: <c>xmlsec1 --sign</c> makes an enveloped XMLDSig (exclusive C14N, RSA-SHA256 with
/// today's authority, ECDSA-SHA384 with the next-generation one; the certificate chain in <c>KeyInfo</c>) over the document
/// with the authority's software key (<see cref="SigningAuthority.SoftwareKey"/>) and a certificate of our authority.
/// </summary>
internal static class Xmlsec1Signer
{
    /// <summary>Signs <paramref name="document"/> (its root element <c>&lt;申請書&gt;</c>); files are named with <paramref name="prefix"/> in the authority's folder.</summary>
    public static async Task<byte[]> SignEnvelopedAsync(SigningAuthority pki, X509Certificate2 certificate, string document, string prefix, string? signatureId = null)
    {
        var dir = pki.Dir;
        File.WriteAllText(dir.File(prefix + "-key.pem"), pki.SoftwareKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(dir.File(prefix + "-cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.File(prefix + "-ca.pem"), pki.SignCa.ExportCertificatePem());
        var id = signatureId is null ? string.Empty : $" Id=\"{signatureId}\"";
        var template = document.Replace(
            "</申請書>",
            $"<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"{id}><SignedInfo>" +
            "<CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>" +
            $"<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#{(pki.IsNextGeneration ? "ecdsa-sha384" : "rsa-sha256")}\"/>" +
            "<Reference URI=\"\"><Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>" +
            "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></Transforms>" +
            "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/></Reference></SignedInfo>" +
            "<SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></申請書>",
            StringComparison.Ordinal);
        File.WriteAllText(dir.File(prefix + "-template.xml"), template);
        var sign = await ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--sign", "--privkey-pem", $"{dir.File(prefix + "-key.pem")},{dir.File(prefix + "-cert.pem")},{dir.File(prefix + "-ca.pem")}", "--output", dir.File(prefix + "-signed.xml"), dir.File(prefix + "-template.xml")]);
        Assert.True(sign.Exit == 0, sign.Error);
        return File.ReadAllBytes(dir.File(prefix + "-signed.xml"));
    }
}
