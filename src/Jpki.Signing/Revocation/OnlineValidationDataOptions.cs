using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Revocation;

/// <summary>Options of <see cref="OnlineValidationDataSource"/>.</summary>
public sealed record OnlineValidationDataOptions
{
    /// <summary>Issuer certificates to complete chains with (e.g. the JPKI signature CA root, the TSA root); they are embedded too.</summary>
    public IReadOnlyList<X509Certificate2> ExtraCertificates { get; init; } = [];

    /// <summary>Ask this OCSP responder instead of the one the certificates name.</summary>
    public Uri? OcspResponder { get; init; }

    /// <summary>Try OCSP before CRLs (default true: an OCSP answer is small and names one certificate).</summary>
    public bool PreferOcsp { get; init; } = true;

    /// <summary>The largest CRL or OCSP answer downloaded, in bytes. Default 32 MiB.</summary>
    public long MaxDownloadBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// Where failed fetches are logged (events 6120 per OCSP or CRL source, 6121 when nothing was found for a certificate:
    /// serial, issuer, the service's address and why — never a subject name). Default null: nowhere.
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}
