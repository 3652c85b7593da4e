namespace Jpki.OnlineApplication;

/// <summary>Durable storage of accepted online applications.</summary>
internal interface IApplicationStore
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new application. False when a document with the same SHA-256 was already accepted (a replay).</summary>
    Task<bool> AddAsync(StoredApplication application, CancellationToken cancellationToken);

    Task<StoredApplication?> FindAsync(string receipt, CancellationToken cancellationToken);

    /// <summary>The newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredApplication>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Records a clerk's decision. False when the receipt is unknown or the application was already handled.</summary>
    Task<bool> DecideAsync(string receipt, ApplicationStatus status, string note, string staff, DateTimeOffset at, CancellationToken cancellationToken);
}
