using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Signatures;

/// <summary>A certificate as a report shows it: names, serial, validity and SHA-256 fingerprint.</summary>
/// <param name="Subject">The subject DN.</param>
/// <param name="Issuer">The issuer DN.</param>
/// <param name="Serial">The serial number, hex.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Sha256">SHA-256 of the DER certificate, hex.</param>
public sealed record CertificateSummary(string Subject, string Issuer, string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256)
{
    /// <summary>The summary of <paramref name="certificate"/>.</summary>
    public static CertificateSummary Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new(
            certificate.Subject,
            certificate.Issuer,
            certificate.SerialNumber,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            Convert.ToHexString(SHA256.HashData(certificate.RawDataMemory.Span)));
    }
}
