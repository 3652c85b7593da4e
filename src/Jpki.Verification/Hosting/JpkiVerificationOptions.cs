namespace Jpki.Verification.Hosting;

/// <summary>
/// Settings of <c>AddJpkiVerification()</c>, bound from configuration (section <c>JpkiVerification</c> by default) and
/// validated when the host starts (<see cref="JpkiVerificationOptionsValidator"/>).
/// </summary>
public sealed class JpkiVerificationOptions
{
    /// <summary>The default configuration section, <c>JpkiVerification</c>.</summary>
    public const string SectionName = "JpkiVerification";

    /// <summary>Files (PEM or DER) with the root CA certificates to trust: the authority's <c>/ca/auth.cer</c> and/or <c>/ca/sign.cer</c>. At least one.</summary>
    public IList<string> TrustedRootFiles { get; } = [];

    /// <summary>
    /// SHA-256 fingerprints (hex) of roots in <see cref="TrustedRootFiles"/> that carry the J-LIS name (<c>O=JPKI</c>) but
    /// are not published J-LIS roots — e.g. your own authority initialised with production names. Such a root is refused
    /// unless pinned here; the published J-LIS roots are pinned built in.
    /// </summary>
    public IList<string> TrustedRootPins { get; } = [];

    /// <summary>The OCSP responder to ask (e.g. <c>http://127.0.0.1:8080/ocsp</c>); null: none.</summary>
    public Uri? OcspUri { get; set; }

    /// <summary>Where to download the CRL from instead of the certificate's distribution point; null: the distribution point. CRLs are always a fallback after OCSP.</summary>
    public Uri? CrlUri { get; set; }

    /// <summary>The registered verifier key (<c>X-Jpki-Verifier-Key</c>) for signature-certificate revocation data; null: none.</summary>
    public string? VerifierKey { get; set; }

    /// <summary>Accept the J-LIS test-environment certificate policies (also issued by a <c>jpki serve</c> / <c>--test-names</c> authority). Default false.</summary>
    public bool AllowTestPolicy { get; set; }

    /// <summary>UNSAFE: accept a certificate when no revocation answer is available. Default false (fail closed).</summary>
    public bool UnsafeSkipRevocationCheck { get; set; }

    /// <summary>The web origins of this site that origin-bound logins are signed for (<c>https://www.example.jp</c>). At least one for <see cref="Login.LoginVerifier.VerifyTokenAsync"/>.</summary>
    public IList<string> LoginOrigins { get; } = [];

    /// <summary>How long a login nonce may be answered; 10 s to 10 min, default 120 s.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The most login nonces waiting at once in the in-memory store; default 1,000,000.</summary>
    public int ChallengeStoreCapacity { get; set; } = Login.InMemoryChallengeStore.DefaultCapacity;

    /// <summary>Timeout of OCSP and CRL requests; default 15 s.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
