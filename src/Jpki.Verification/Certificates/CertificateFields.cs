using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Certificates;

/// <summary>
/// <see cref="X509Certificate2"/> decodes most fields on first use, so a certificate with an impossible validity date
/// (month 13), a broken name or extension loads fine and throws later, wherever a caller happens to read it. This reads
/// every field a verifier or its caller shows once, up front, so such a certificate becomes a <c>malformed</c> verdict.
/// </summary>
internal static class CertificateFields
{
    /// <summary>Null when every field decodes; otherwise a sentence naming what does not.</summary>
    public static string? Problem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var field = "validity";
        try
        {
            _ = certificate.NotBefore;
            _ = certificate.NotAfter;
            field = "subject or issuer name";
            _ = certificate.Subject;
            _ = certificate.Issuer;
            field = "serial number";
            _ = certificate.SerialNumber;
            field = "extensions";
            foreach (var extension in certificate.Extensions)
            {
                _ = extension.Oid?.Value;
            }

            field = "public key";
            _ = certificate.PublicKey.Oid.Value;
            return null;
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or FormatException or ArgumentException)
        {
            return $"The certificate's {field} cannot be decoded (e.g. an impossible date such as month 13): it is not a well-formed X.509 certificate.";
        }
    }
}
