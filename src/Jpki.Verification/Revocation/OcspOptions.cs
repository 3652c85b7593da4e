namespace Jpki.Verification.Revocation;

/// <summary>Options of <see cref="OcspRevocationSource"/> (RFC 6960).</summary>
public sealed record OcspOptions
{
    /// <summary>The responder URL. Null (default): the OCSP access method of the certificate's authorityInfoAccess.</summary>
    public Uri? ResponderUri { get; init; }

    /// <summary>
    /// Send a fresh 32-byte nonce (RFC 8954) in each request. Default true. A responder that supports nonces then signs
    /// an answer for this request; one that serves pre-signed answers (RFC 5019, ours for nonce-less requests) ignores it.
    /// False lets a responder like ours answer from its pre-signed cache (no RSA signature per request). Always sent
    /// when <see cref="RequireNonce"/> is set.
    /// </summary>
    public bool SendNonce { get; init; } = true;

    /// <summary>
    /// Strict mode: refuse any answer that does not echo the request nonce. Default false: an answer without a nonce
    /// (pre-signed, RFC 5019) is accepted when it is recent — it has a nextUpdate that is not past, and its thisUpdate
    /// and producedAt are at most <see cref="MaxAgeWithoutNonce"/> old. An echoed nonce must match in every mode.
    /// </summary>
    public bool RequireNonce { get; init; }

    /// <summary>
    /// How old (thisUpdate, producedAt) an answer without an echoed nonce may be. Default 24 hours — the validity of
    /// a CRL, so a replayed nonce-less answer can hide a revocation no longer than a CRL a verifier accepts would.
    /// </summary>
    public TimeSpan MaxAgeWithoutNonce { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Tolerance for the responder's clock on thisUpdate/nextUpdate. Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an answer without nextUpdate is accepted after its thisUpdate (never cached). Default 10 minutes.</summary>
    public TimeSpan MaxAgeWithoutNextUpdate { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Keep a good or revoked answer until its nextUpdate and answer from it without asking again. Default true (the
    /// usual relying party). False asks the responder every time: for a service that sits next to the authority (our
    /// e-application) and must see a revocation at once, not at the next update.
    /// </summary>
    public bool CacheAnswers { get; init; } = true;

    /// <summary>The largest response accepted. Default 64 KiB.</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024;
}
