namespace Jpki.Authority.Registry;

/// <summary>The revocation of a certificate.</summary>
/// <param name="RevokedAt">The revocation date as published (RFC 5280 revocationDate).</param>
/// <param name="Reason">The CRLReason.</param>
/// <param name="RecordedAt">When the registry recorded it.</param>
public sealed record RevocationInfo(DateTimeOffset RevokedAt, RevocationReason Reason, DateTimeOffset RecordedAt);
