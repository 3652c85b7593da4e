using Jpki.Core.Identity;

namespace Jpki.Authority.Registry;

/// <summary>
/// The certificate registry of both CAs. Implemented by the SQLite store (embedded default) and the PostgreSQL
/// store; both pass one contract test suite. Every method that returns normally has made its change durable.
/// </summary>
public interface ICertificateRegistry : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema (versioned migrations). Idempotent.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Stores a newly issued certificate durably.</summary>
    /// <exception cref="DuplicateSerialException">The serial already exists; the caller draws a new serial and re-signs.</exception>
    Task AddAsync(CertificateRecord record, CancellationToken cancellationToken);

    /// <summary>The certificate with <paramref name="serialHex"/>, or null.</summary>
    Task<CertificateRecord?> FindBySerialAsync(string serialHex, CancellationToken cancellationToken);

    /// <summary>All certificates issued onto <paramref name="cardId"/>, oldest first.</summary>
    Task<IReadOnlyList<CertificateRecord>> FindByCardAsync(string cardId, CancellationToken cancellationToken);

    /// <summary>All certificates of <paramref name="holderId"/>, oldest first.</summary>
    Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a certificate. A revoked certificate is never un-revoked: a second revocation changes nothing and
    /// answers <see cref="RevokeResult.AlreadyRevoked"/>.
    /// </summary>
    Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the revoked, not yet expired (at <paramref name="at"/>) certificates of one CA in serial order,
    /// without holding them all in memory.
    /// </summary>
    IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(CertificateKind kind, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the revoked certificates selected by <paramref name="query"/> (one CA; optionally one partition and a
    /// range of the revocation sequence), in the same order as the other stream — or by partition, then serial, when
    /// <see cref="RevokedQuery.OrderByPartition"/> asks — holding none in memory.
    /// </summary>
    IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(RevokedQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The last committed position of the revocation sequence (0 before the first revocation). Every revocation at or
    /// below it is visible to later reads: the sequence is assigned in commit order.
    /// </summary>
    Task<long> GetRevocationCursorAsync(CancellationToken cancellationToken);

    /// <summary>The revocations after <paramref name="cursor"/> in sequence order, at most <paramref name="limit"/> (the change feed).</summary>
    Task<IReadOnlyList<RevocationChange>> ReadRevocationsAfterAsync(long cursor, int limit, CancellationToken cancellationToken);

    /// <summary>Allocates the next CRL number of one CA (monotonic, durable, starting at 1).</summary>
    Task<long> NextCrlNumberAsync(CertificateKind kind, CancellationToken cancellationToken);
}
