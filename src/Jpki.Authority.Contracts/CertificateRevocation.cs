namespace Jpki.Authority.Contracts;

/// <summary>The revocation of a certificate as the authority publishes it.</summary>
/// <param name="RevokedAt">The revocation date (RFC 5280 revocationDate).</param>
/// <param name="Reason">The CRLReason.</param>
public sealed record CertificateRevocation(DateTimeOffset RevokedAt, RevocationReason Reason);
