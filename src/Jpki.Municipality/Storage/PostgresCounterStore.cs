using System.Data.Common;
using Npgsql;

namespace Jpki.Municipality.Storage;

/// <summary>The PostgreSQL store (Npgsql data source with its own pool).</summary>
internal sealed class PostgresCounterStore : SqlCounterStore
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresCounterStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    protected override IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
        CounterSchema.For("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

    public static PostgresCounterStore Open(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return new PostgresCounterStore(NpgsqlDataSource.Create(connectionString));
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A transaction-scoped advisory lock: journal appends and the daily close take turns (the chain needs the previous hash).</summary>
    protected override async Task LockJournalAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(7403020511)";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
