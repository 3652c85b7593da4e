namespace Jpki.Authority.Ca;

/// <summary>Settings of the authority's publication: URLs in certificates, CRL and OCSP timing, verifier access.</summary>
public sealed record AuthorityOptions
{
    /// <summary>
    /// The public base URL of this server, written into certificates as <c>{base}/crl/sign.crl</c>,
    /// <c>{base}/crl/auth.crl</c> and <c>{base}/ocsp</c>. Default <c>http://127.0.0.1:8080</c>.
    /// </summary>
    public string PublicBaseUrl { get; init; } = "http://127.0.0.1:8080";

    /// <summary>nextUpdate − thisUpdate of a complete CRL (full or partition). Default 24 hours; rebuilt at half of it.</summary>
    public TimeSpan CrlValidity { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long after a revocation (made by any process on the registry) the CRLs that show it are published: the delta
    /// CRLs, or the complete ones when <see cref="DeltaCrls"/> is off. A burst of revocations within it costs one build.
    /// Default 5 seconds.
    /// </summary>
    public TimeSpan CrlRebuildDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Partitioned CRLs (docs/authority.md, "CRL partitions"): new certificates get the partition of their expiry —
    /// windows of this many months (1, 2, 3, 4, 6 or 12) — written into their CRL distribution point, and each partition
    /// is published as its own CRL with an issuingDistributionPoint. 0: no partitions (certificates point at the full
    /// CRL). Default 3. Fix it at <c>authority init</c>: a certificate keeps the partition it was issued with.
    /// </summary>
    public int CrlPartitionMonths { get; init; } = 3;

    /// <summary>
    /// Publish the full CRL (every revoked certificate of the CA, no issuingDistributionPoint) at <c>/crl/{kind}.crl</c>.
    /// Default true: certificates issued without a partition (before partitions, or with <see cref="CrlPartitionMonths"/>
    /// 0) point at it. Turn it off only when none of those is unexpired; the coverage check refuses to publish otherwise.
    /// </summary>
    public bool PublishFullCrl { get; init; } = true;

    /// <summary>Publish delta CRLs (RFC 5280 §5.2.4) beside every complete CRL, named in its freshestCRL. Default true.</summary>
    public bool DeltaCrls { get; init; } = true;

    /// <summary>nextUpdate − thisUpdate of a delta CRL; republished at half of it even without revocations. Default 1 hour.</summary>
    public TimeSpan DeltaCrlValidity { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// With delta CRLs on, the complete CRLs are rebuilt after revocations no sooner than this after the last base
    /// generation (and no sooner than ten times that generation's build time, so a ten-million-entry build takes at
    /// most a tenth of the publisher's time); deltas carry the revocations meanwhile. Default 1 minute.
    /// </summary>
    public TimeSpan CrlBaseMinimumInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>nextUpdate − thisUpdate of an OCSP response. Default 1 hour.</summary>
    public TimeSpan OcspResponseValidity { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Pre-sign OCSP answers (RFC 5019): the publisher process signs a "good" answer for every unexpired, unrevoked
    /// certificate in batches, and signs every stored answer again once half of <see cref="OcspResponseValidity"/> has
    /// passed; answers are kept in the registry, so every server process serves them without signing. A revoked
    /// certificate's answer is signed when it is first asked for (a revocation deletes the stored good answer) and stored
    /// from then on — not ahead for every revoked certificate, which at national scale are millions nobody asks about.
    /// Default true. Sizing: the certificates divided by half the validity is the signatures per second it costs
    /// (1,000,000 certificates, 1 h: ≈ 560/s).
    /// </summary>
    public bool OcspPresign { get; init; } = true;

    /// <summary>
    /// How many signed "unknown" answers (certIDs of this CA's key that name no issued certificate) the responder signs
    /// per second at most; beyond it such requests get the unsigned <c>unauthorized</c> status, as RFC 5019 §2.2.3
    /// allows — so a flood of random serials costs no signatures. A signed "unknown" is kept and served again for its
    /// validity. Default 20.
    /// </summary>
    public int OcspUnknownSignaturesPerSecond { get; init; } = 20;

    /// <summary>How many answers each process keeps in memory (the registry keeps them all). Default 100,000.</summary>
    public int OcspMemoryCacheEntries { get; init; } = 100_000;

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
