namespace Jpki.Verification.Revocation;

/// <summary>Options of <see cref="OcspRevocationSource"/> (RFC 6960).</summary>
public sealed record OcspOptions
{
    /// <summary>The responder URL. Null (default): the OCSP access method of the certificate's authorityInfoAccess.</summary>
    public Uri? ResponderUri { get; init; }

    /// <summary>
    /// Require the responder to echo the request nonce (RFC 8954). Default true, so an old answer cannot be replayed.
    /// Set false for responders that serve pre-signed answers; a nonce that is present must still match.
    /// </summary>
    public bool RequireNonce { get; init; } = true;

    /// <summary>Tolerance for the responder's clock on thisUpdate/nextUpdate. Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an answer without nextUpdate is accepted after its thisUpdate (never cached). Default 10 minutes.</summary>
    public TimeSpan MaxAgeWithoutNextUpdate { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest response accepted. Default 64 KiB.</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024;
}
