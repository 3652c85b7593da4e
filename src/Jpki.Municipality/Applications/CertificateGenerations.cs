using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;

namespace Jpki.Municipality.Applications;

/// <summary>
/// The card generation a certificate of the authority was issued for, read off its subject key: an ECDSA key
/// (id-ecPublicKey, 1.2.840.10045.2.1) is the next-generation card's (a next-generation authority accepts P-384 keys
/// only, docs/authority.md); anything else is today's card. Used where the counter judges a certificate without the
/// card in hand (its renewal window in the holder's list and in the suggestions).
/// </summary>
internal static class CertificateGenerations
{
    private const string EcPublicKey = "1.2.840.10045.2.1";

    /// <summary>The generation of <paramref name="certificate"/>; <see cref="CardGeneration.Current"/> when it has no readable DER.</summary>
    public static CardGeneration Of(AuthorityCertificate certificate)
    {
        if (certificate.Der.IsEmpty)
        {
            return CardGeneration.Current;
        }

        try
        {
            using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der.Span);
            return x509.PublicKey.Oid.Value == EcPublicKey ? CardGeneration.NextGeneration : CardGeneration.Current;
        }
        catch (CryptographicException)
        {
            return CardGeneration.Current;
        }
    }
}
