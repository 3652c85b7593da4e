using Jpki.Municipality.Storage;
using Microsoft.Data.Sqlite;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>The contract on the embedded SQLite file.</summary>
public sealed class SqliteCounterStoreContractTests : CounterStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jpki-counter-store-" + Guid.NewGuid().ToString("N")[..12]);

    private string DatabasePath => Path.Combine(_directory, CounterStores.DefaultFileName);

    [Fact]
    public async Task Open_FileIsInWalModeWithForeignKeys()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    protected override Task<ICounterStore> OpenAsync() => Task.FromResult(CounterStores.OpenSqlite(DatabasePath));

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override Task CleanUpAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }

        return Task.CompletedTask;
    }
}
