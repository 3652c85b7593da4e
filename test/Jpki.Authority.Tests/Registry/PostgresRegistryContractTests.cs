using Jpki.Authority.Registry;
using Jpki.Authority.Registry.Postgres;
using Npgsql;

namespace Jpki.Authority.Tests.Registry;

/// <summary>The registry contract on a real PostgreSQL 15 server (started once per run); one fresh schema per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRegistryContractTests(PostgresServer server) : RegistryContractTests
{
    private string _connectionString = string.Empty;

    protected override async Task CreateDatabaseAsync() => _connectionString = await server.CreateSchemaAsync();

    /// <summary>Forgets the schema; the whole cluster is deleted when the server stops at the end of the run.</summary>
    protected override Task DropDatabaseAsync()
    {
        _connectionString = string.Empty;
        return Task.CompletedTask;
    }

    protected override Task<IRegistryStore> OpenStoreAsync() =>
        Task.FromResult<IRegistryStore>(PostgresRegistryStore.Open(_connectionString, "test", Clock));

    protected override Task MigrateToAsync(IRegistryStore store, int version) =>
        ((PostgresRegistryStore)store).MigrateAsync(version, CancellationToken.None);

    protected override async Task ExecuteUnguardedAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "ALTER TABLE audit_log DISABLE TRIGGER USER; ALTER TABLE certificates DISABLE TRIGGER USER;" + sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<Exception?> TryExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex;
        }
    }

    protected override string SetAtOneSecondLater(long seq) => $"UPDATE audit_log SET at = at + interval '1 second' WHERE seq = {seq}";

    protected override string InsertByHandSql(string serial) =>
        $"INSERT INTO certificates (serial, kind, card_id, holder_id, not_before, not_after, issued_at, der) VALUES ('{serial}', 1, 'CARD-1', 'HOLDER-1', timestamptz '2026-04-01 00:00:00+00', timestamptz '2031-03-31 14:59:59+00', timestamptz '2026-04-01 00:00:00+00', '\\x3000'::bytea)";

    protected override string RevokeByHandSql(string serial, int second) =>
        $"UPDATE certificates SET revoked_at = timestamptz '2026-04-01 00:00:00+00' + interval '{second} seconds', revocation_reason = 1, revocation_recorded_at = timestamptz '2026-04-01 00:00:00+00' + interval '{second} seconds' WHERE serial = '{serial}'";

    protected override string HexLiteral(byte[] bytes) => $"'\\x{Convert.ToHexStringLower(bytes)}'::bytea";
}
