namespace Jpki.Authority.Ocsp;

/// <summary>An OCSP response ready to send.</summary>
/// <param name="Status">The response status.</param>
/// <param name="Der">The OCSPResponse DER (content type <c>application/ocsp-response</c>).</param>
/// <param name="FromCache">True when a pre-signed response was served (no signature computed).</param>
public sealed record OcspAnswer(OcspStatus Status, ReadOnlyMemory<byte> Der, bool FromCache)
{
    /// <summary>
    /// For an answer any cache may keep (one certificate, no nonce — RFC 5019 §5): its thisUpdate (= producedAt), used
    /// as <c>Last-Modified</c>; null for answers that must not be cached (a nonce, an error).
    /// </summary>
    public DateTimeOffset? ThisUpdate { get; init; }

    /// <summary>nextUpdate of a cacheable answer (<c>Expires</c>).</summary>
    public DateTimeOffset? NextUpdate { get; init; }

    /// <summary>When the responder signs a newer answer (the end of <c>Cache-Control: max-age</c>).</summary>
    public DateTimeOffset? RefreshAt { get; init; }

    /// <summary>Hex SHA-256 of <see cref="Der"/> for a cacheable answer (the strong <c>ETag</c> RFC 5019 recommends).</summary>
    public string? ETag { get; init; }

    /// <summary>The certificate status the answer gives (one certificate), <see cref="OcspCertStatus.Several"/> for several, null for an error answer.</summary>
    public OcspCertStatus? CertStatus { get; init; }
}

/// <summary>The certificate status of a successful OCSP answer (RFC 6960 §4.2.1 CertStatus), for metrics and logs.</summary>
public enum OcspCertStatus
{
    /// <summary>good.</summary>
    Good,

    /// <summary>revoked.</summary>
    Revoked,

    /// <summary>unknown: not issued by this CA (or not in its registry).</summary>
    Unknown,

    /// <summary>The request asked for several certificates.</summary>
    Several,
}
