using Jpki.Authority.Audit;

namespace Jpki.Authority.Registry;

/// <summary>
/// One registry database: the certificates of both CAs, their linkage and the audit log, in one store (SQLite or
/// PostgreSQL). Open it with <see cref="RegistryFactory"/>, call <see cref="ICertificateRegistry.MigrateAsync"/> once,
/// then use it from many threads; dispose it to close the database.
/// </summary>
public interface IRegistryStore : ICertificateRegistry, ICertificateLinkage, IAnchoredAuditLog, IAuditedRegistry, IRevocationPublicationStore, IIssuanceRequestLog
{
    /// <summary>Which engine holds the data.</summary>
    RegistryEngine Engine { get; }

    /// <summary>Where the data is, without credentials: the SQLite file path, or host, port and database.</summary>
    string Description { get; }

    /// <summary>The highest schema migration applied to the database (0 when empty).</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="IAnchoredAuditLog.VerifyAsync(AuditHead?, CancellationToken)"/>, then the registry against the intact
    /// chain (<see cref="AuditProblem.RegistryDisagrees"/>): every certificate the log issued is present, every one it
    /// revoked is still revoked, and no row — or revocation — lacks its entry. What <c>jpki authority audit verify</c> runs.
    /// </summary>
    Task<AuditVerification> VerifyWithRegistryAsync(AuditHead? expectedHead, CancellationToken cancellationToken);
}
