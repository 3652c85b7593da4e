using Jpki.Authority.Registry;
using Jpki.Authority.Registry.Postgres;
using Npgsql;

namespace Jpki.Authority.Tests.Registry;

/// <summary>The registry contract on a real PostgreSQL 15 server (started once per run); one database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRegistryContractTests(PostgresServer server) : RegistryContractTests
{
    private string _connectionString = string.Empty;

    protected override async Task CreateDatabaseAsync() => _connectionString = await server.CreateDatabaseAsync();

    protected override async Task DropDatabaseAsync()
    {
        if (_connectionString.Length == 0)
        {
            return;
        }

        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
        _connectionString = string.Empty;
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

    protected override string HexLiteral(byte[] bytes) => $"'\\x{Convert.ToHexStringLower(bytes)}'::bytea";
}
