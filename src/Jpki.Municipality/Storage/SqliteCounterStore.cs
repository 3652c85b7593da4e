using Jpki.Core.Storage;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Jpki.Municipality.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (a returned write survives a power
/// cut); write transactions are <c>BEGIN IMMEDIATE</c> so concurrent writers queue on the busy timeout instead of
/// failing on upgrade.
/// </summary>
internal sealed class SqliteCounterStore : SqlCounterStore
{
    private const int SqliteConstraint = 19;
    private readonly string _connectionString;

    private SqliteCounterStore(string connectionString) => _connectionString = connectionString;

    protected override IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
        CounterSchema.For("INTEGER PRIMARY KEY AUTOINCREMENT");

    public static SqliteCounterStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            PrivateFiles.CreateFolder(directory);
        }

        PrivateFiles.EnsureDatabaseFile(fullPath);
        return new SqliteCounterStore(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString());
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            // synchronous is per connection: FULL fsyncs the WAL at every commit. foreign_keys is off by default.
            // secure_delete (per connection): deleted rows and replaced values are overwritten with zeros, so a workflow's
            // request body (public key, holder ids, basic-4 data) does not stay in free pages after it is cleared.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override int ImportRowsPerStatement => 1;

    protected override async Task ForgetFreedContentAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // The old page images stay in the write-ahead log until its frames are reused: copy the zeroed pages into the
        // database and truncate the log. Best effort: with a reader in the middle of a transaction it checkpoints what
        // it can (busy), and the next completed workflow tries again.
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint };
}
