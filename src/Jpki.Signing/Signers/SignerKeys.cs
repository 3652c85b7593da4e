using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Signers;

/// <summary>
/// The key kind of a signer, read off its certificate: RSA (today's card, PKCS#1 v1.5 with SHA-256) or ECDSA (the
/// next-generation card, P-384 with SHA-384, JPKI-REFERENCE §14). Formats pick their algorithm identifiers from it.
/// </summary>
public static class SignerKeys
{
    /// <summary>id-ecPublicKey (RFC 5480).</summary>
    public const string EcPublicKey = "1.2.840.10045.2.1";

    /// <summary>True when <paramref name="signer"/>'s certificate holds an EC key.</summary>
    public static bool IsEcdsa(ISigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return signer.Certificate.PublicKey.Oid.Value == EcPublicKey;
    }

    /// <summary>
    /// The hash a signature by <paramref name="signer"/> uses: SHA-256 for RSA, the curve's hash for ECDSA (SHA-384 on
    /// P-384, RFC 5480 §4).
    /// </summary>
    public static HashAlgorithmName HashFor(ISigner signer)
    {
        if (!IsEcdsa(signer))
        {
            return HashAlgorithmName.SHA256;
        }

        using var key = signer.Certificate.GetECDsaPublicKey()!;
        return SignerEcdsa.HashFor(key.KeySize);
    }

    /// <summary>A key object for <c>SignedCms</c>/<c>SignedXml</c> whose private operation is <paramref name="signer"/>.</summary>
    public static AsymmetricAlgorithm KeyOf(ISigner signer) => IsEcdsa(signer) ? new SignerEcdsa(signer) : new SignerRsa(signer);
}
