using Jpki.Authority.Audit;

namespace Jpki.Authority.Registry;

/// <summary>
/// A registry that also holds the audit log and can store a change together with its audit entry as one durable
/// unit: both are committed, or neither is. The issuer uses it so that an acknowledged issuance is never missing from
/// the log, and so that one commit (one flush) covers both.
/// </summary>
public interface IAuditedRegistry
{
    /// <summary>
    /// Stores a newly issued certificate and appends <paramref name="entry"/> in the same transaction; returns the
    /// entry's sequence number once both are durable.
    /// </summary>
    /// <exception cref="DuplicateSerialException">The serial already exists; nothing was stored or logged.</exception>
    Task<long> AddWithAuditAsync(CertificateRecord record, AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes like <see cref="ICertificateRegistry.RevokeAsync"/> and, only when this call revoked the certificate,
    /// appends <paramref name="entry"/> in the same transaction.
    /// </summary>
    Task<RevokeResult> RevokeWithAuditAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, AuditEntry entry, CancellationToken cancellationToken);
}
