using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Certificates;

/// <summary>The public key of a certificate, imported once per certificate instance (imports cost more than a verification).</summary>
internal static class PublicKeys
{
    private static readonly ConditionalWeakTable<X509Certificate2, AsymmetricAlgorithm> Cache = [];

    /// <summary>The RSA or ECDSA public key, or null for any other key type.</summary>
    public static AsymmetricAlgorithm? Of(X509Certificate2 certificate)
    {
        if (Cache.TryGetValue(certificate, out var key))
        {
            return key;
        }

        AsymmetricAlgorithm? created;
        try
        {
            created = (AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey();
        }
        catch (CryptographicException)
        {
            created = null;
        }

        return created is null ? null : Cache.GetValue(certificate, _ => created);
    }
}
