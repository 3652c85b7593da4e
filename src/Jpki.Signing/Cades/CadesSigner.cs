using System.Security.Cryptography;
using Jpki.Signing.Signers;
using Jpki.Verification.Cms;

namespace Jpki.Signing.Cades;

/// <summary>
/// Makes a CAdES B-B signature (ETSI EN 319 122-1 §6.3, JIS X 5092): CMS SignedData with SHA-256, the signed
/// attributes content-type, message-digest, signing-time and signing-certificate-v2, the signer certificate and its
/// chain embedded; the signer (a card) signs the DigestInfo of the signed attributes. Higher levels are added by
/// <see cref="CadesAugmenter"/>.
/// </summary>
public static class CadesSigner
{
    /// <summary>Signs <paramref name="content"/> and returns the DER ContentInfo.</summary>
    /// <param name="content">The data to sign.</param>
    /// <param name="signer">Who signs (the card).</param>
    /// <param name="signingTime">The signing-time attribute, from the caller's clock.</param>
    /// <param name="detached">True (the default for files) for a detached <c>.p7s</c>; false to embed the content.</param>
    /// <exception cref="CryptographicException">The signer refused.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> content, ISigner signer, DateTimeOffset signingTime, bool detached = true)
    {
        ArgumentNullException.ThrowIfNull(signer);
        using var key = new SignerRsa(signer);
        return CmsSignatureBuilder.Sign(content, signer.Certificate, key, detached, signingTime, signer.CertificateChain);
    }
}
