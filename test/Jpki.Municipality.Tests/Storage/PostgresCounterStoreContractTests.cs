using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>The contract on a real PostgreSQL 15 server started by the test run; one fresh schema per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCounterStoreContractTests(PostgresServer server) : CounterStoreContractTests
{
    protected override async Task<ICounterStore> OpenAsync() => CounterStores.OpenPostgres(await server.CreateSchemaAsync());
}
