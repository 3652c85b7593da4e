namespace Jpki.Authority.Ca;

/// <summary>Settings of the authority's publication: URLs in certificates, CRL and OCSP timing, verifier access.</summary>
public sealed record AuthorityOptions
{
    /// <summary>
    /// The public base URL of this server, written into certificates as <c>{base}/crl/sign.crl</c>,
    /// <c>{base}/crl/auth.crl</c> and <c>{base}/ocsp</c>. Default <c>http://127.0.0.1:8080</c>.
    /// </summary>
    public string PublicBaseUrl { get; init; } = "http://127.0.0.1:8080";

    /// <summary>nextUpdate − thisUpdate of a CRL. Default 24 hours.</summary>
    public TimeSpan CrlValidity { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long after a revocation the CRL is rebuilt at the latest (debounce). Default 5 seconds.</summary>
    public TimeSpan CrlRebuildDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>nextUpdate − thisUpdate of an OCSP response. Default 1 hour.</summary>
    public TimeSpan OcspResponseValidity { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often a pre-signed "good" answer is checked against the registry before it is served again. Revocations
    /// made through this process drop the answer at once; this bounds how long one made by another process on the
    /// same registry (the `jpki` command line next to a running server, a second server) can stay unseen. A hot
    /// certificate costs one registry read per interval. Default 1 second.
    /// </summary>
    public TimeSpan OcspGoodRecheck { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Validity of the delegated OCSP signer certificate; renewed when a quarter remains. Default 7 days.</summary>
    public TimeSpan OcspSignerValidity { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// When true, anyone may read signature-certificate revocation data (test environments). When false (default),
    /// only registered verifiers presenting one of <see cref="VerifierKeys"/> or a registered client certificate
    /// (JPKI-REFERENCE §8.2).
    /// </summary>
    public bool OpenSignatureRevocationData { get; init; }

    /// <summary>API keys of the registered verifiers.</summary>
    public IReadOnlyCollection<string> VerifierKeys { get; init; } = [];

    /// <summary>SHA-256 thumbprints (hex) of registered verifiers' TLS client certificates.</summary>
    public IReadOnlyCollection<string> VerifierCertificateThumbprints { get; init; } = [];

    /// <summary>CA certificates (DER): a TLS client certificate that chains to one of them is a registered verifier.</summary>
    public IReadOnlyCollection<ReadOnlyMemory<byte>> VerifierIssuers { get; init; } = [];

    /// <summary>
    /// API keys of the registration authorities (municipal terminals) allowed to issue and revoke through the authority
    /// API — a list separate from <see cref="VerifierKeys"/>: a verifier key never issues.
    /// </summary>
    public IReadOnlyCollection<string> RegistrationAuthorityKeys { get; init; } = [];

    /// <summary>SHA-256 thumbprints (hex) of registration authorities' TLS client certificates.</summary>
    public IReadOnlyCollection<string> RegistrationAuthorityCertificateThumbprints { get; init; } = [];
}
