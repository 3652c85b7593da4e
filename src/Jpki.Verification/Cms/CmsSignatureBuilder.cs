using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Cms;

/// <summary>
/// Builds CMS SignedData the way a JPKI signature should look: SHA-256, signed attributes contentType,
/// messageDigest, signingTime and ESS signingCertificateV2, the signer certificate included. The private key may be
/// any <see cref="RSA"/>, including one whose <c>SignHash</c> asks a card to sign the DigestInfo (<c>80 2A 00 80</c>).
/// </summary>
public static class CmsSignatureBuilder
{
    /// <summary>Signs <paramref name="content"/> and returns the DER SignedData (ContentInfo).</summary>
    /// <param name="content">The content to sign.</param>
    /// <param name="signerCertificate">The signer's certificate (the JPKI signature certificate).</param>
    /// <param name="privateKey">The key matching the certificate.</param>
    /// <param name="detached">True for a detached signature (the content is not embedded).</param>
    /// <param name="signingTime">The signingTime attribute value (from the caller's clock).</param>
    /// <param name="extraCertificates">Additional certificates to embed (intermediates); null for none.</param>
    /// <exception cref="CryptographicException">The key could not sign.</exception>
    public static byte[] Sign(
        ReadOnlySpan<byte> content,
        X509Certificate2 signerCertificate,
        AsymmetricAlgorithm privateKey,
        bool detached,
        DateTimeOffset signingTime,
        IEnumerable<X509Certificate2>? extraCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(signerCertificate);
        ArgumentNullException.ThrowIfNull(privateKey);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signerCertificate, privateKey)
        {
            // ECDSA P-384 (the next-generation card) goes with SHA-384 (RFC 5480 §4); RSA with SHA-256 as JPKI signs.
            DigestAlgorithm = new Oid(privateKey is ECDsa { KeySize: 384 } ? DigestAlgorithms.Sha384 : DigestAlgorithms.Sha256),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        if (privateKey is RSA)
        {
            signer.SignaturePadding = RSASignaturePadding.Pkcs1;
        }

        signer.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        signer.SignedAttributes.Add(new AsnEncodedData(EssSigningCertificate.V2Oid, EssSigningCertificate.EncodeV2(signerCertificate)));
        foreach (var extra in extraCertificates ?? [])
        {
            signer.Certificates.Add(extra);
        }

        var cms = new SignedCms(new ContentInfo(content.ToArray()), detached);
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }
}
