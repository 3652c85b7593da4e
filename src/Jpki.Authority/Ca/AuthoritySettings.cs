namespace Jpki.Authority.Ca;

/// <summary>
/// <c>authority/authority.json</c> in the data folder: how the authority was initialised. Holds no secret except the
/// verifier API keys (keep the data folder private).
/// </summary>
public sealed record AuthoritySettings
{
    /// <summary>True for O=JPKI-TEST names (test environments).</summary>
    public bool TestNames { get; init; }

    /// <summary>Public base URL written into certificates (CRL distribution point, OCSP).</summary>
    public string PublicBaseUrl { get; init; } = "http://127.0.0.1:8080";

    /// <summary>
    /// The CA profile, set at init and kept: <c>jpki</c> (today's J-LIS CAs, RSA-2048 / sha256WithRSAEncryption, the
    /// default) or <c>nextgen</c> (the next-generation card's CAs, ECDSA P-384 / ecdsa-with-SHA384 for certificates, CRLs
    /// and OCSP; JPKI-REFERENCE §14 [R]). Software keys only for <c>nextgen</c>.
    /// </summary>
    public string Profile { get; init; } = ProfileJpki;

    /// <summary>The default CA profile.</summary>
    public const string ProfileJpki = "jpki";

    /// <summary>The next-generation CA profile.</summary>
    public const string ProfileNextGeneration = "nextgen";

    /// <summary><c>software</c> (encrypted PKCS#8 files) or <c>pkcs11</c>.</summary>
    public string KeySource { get; init; } = "software";

    /// <summary>PKCS#11 module path (pkcs11 key source).</summary>
    public string? Pkcs11Module { get; init; }

    /// <summary>PKCS#11 token label.</summary>
    public string? Pkcs11Token { get; init; }

    /// <summary>Name of the environment variable holding the token's user PIN (default <c>JPKI_PKCS11_PIN</c>).</summary>
    public string Pkcs11PinEnvironmentVariable { get; init; } = "JPKI_PKCS11_PIN";

    /// <summary>
    /// CRL partitions of new certificates, in months of expiry (1, 2, 3, 4, 6, 12; 0 = none: the full CRL only). Default 3.
    /// Set at init and keep it: a certificate keeps the partition it was issued with (docs/authority.md).
    /// </summary>
    public int CrlPartitionMonths { get; init; } = 3;

    /// <summary>Publish the full CRL (every revoked certificate of a CA) besides the partitions. Default true.</summary>
    public bool PublishFullCrl { get; init; } = true;

    /// <summary>Publish delta CRLs. Default true.</summary>
    public bool DeltaCrls { get; init; } = true;

    /// <summary>Open signature-certificate revocation data to anyone (test environments).</summary>
    public bool OpenSignatureRevocationData { get; init; }

    /// <summary>Registered verifiers' API keys.</summary>
    public IReadOnlyList<string> VerifierKeys { get; init; } = [];

    /// <summary>SHA-256 thumbprints (hex) of registered verifiers' TLS client certificates.</summary>
    public IReadOnlyList<string> VerifierCertificateThumbprints { get; init; } = [];

    /// <summary>CA certificates (base64 DER) whose issued TLS client certificates identify registered verifiers.</summary>
    public IReadOnlyList<string> VerifierIssuers { get; init; } = [];

    /// <summary>API keys of the registration authorities (municipal terminals) that may issue and revoke through the authority API.</summary>
    public IReadOnlyList<string> RegistrationAuthorityKeys { get; init; } = [];

    /// <summary>SHA-256 thumbprints (hex) of registration authorities' TLS client certificates.</summary>
    public IReadOnlyList<string> RegistrationAuthorityCertificateThumbprints { get; init; } = [];

    /// <summary>The policy OID of the time-stamps the TSA issues; null for <see cref="Tsa.TimestampAuthorityOptions.DefaultPolicy"/>.</summary>
    public string? TsaPolicy { get; init; }
}
