using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>The contract on a real PostgreSQL 15 server started by the test run; one fresh schema per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCounterStoreContractTests(PostgresServer server) : CounterStoreContractTests
{
    private string _connectionString = string.Empty;

    protected override async Task<ICounterStore> OpenAsync()
    {
        _connectionString = await server.CreateSchemaAsync();
        return CounterStores.OpenPostgres(_connectionString);
    }

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
