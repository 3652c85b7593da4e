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
}
