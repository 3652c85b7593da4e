using Jpki.Authority.Registry;
using Jpki.Authority.Registry.Sqlite;
using Microsoft.Data.Sqlite;

namespace Jpki.Authority.Tests.Registry;

/// <summary>The registry contract on the SQLite store: one temp file per test.</summary>
public sealed class SqliteRegistryContractTests : RegistryContractTests
{
    private string _folder = string.Empty;

    private string DatabasePath => Path.Combine(_folder, "registry.db");

    protected override Task CreateDatabaseAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "jpki-sqlite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    protected override async Task<IRegistryStore> OpenStoreAsync() =>
        await SqliteRegistryStore.OpenAsync(DatabasePath, Clock, CancellationToken.None);

    protected override Task MigrateToAsync(IRegistryStore store, int version) =>
        ((SqliteRegistryStore)store).MigrateAsync(version, CancellationToken.None);

    protected override async Task ExecuteUnguardedAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS certificates_never_unrevoked;" + sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<Exception?> TryExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (SqliteException ex)
        {
            return ex;
        }
    }

    protected override string SetAtOneSecondLater(long seq) => $"UPDATE audit_log SET at = at + 1000000 WHERE seq = {seq}";

    protected override string InsertByHandSql(string serial) =>
        $"INSERT INTO certificates (serial, kind, card_id, holder_id, not_before, not_after, issued_at, der) VALUES ('{serial}', 1, 'CARD-1', 'HOLDER-1', 1775001600000000, 1932735599000000, 1775001600000000, X'3000')";

    protected override string RevokeByHandSql(string serial, int second)
    {
        var at = (TestRecords.Issued.ToUnixTimeMilliseconds() * 1000) + (second * 1_000_000L);
        return $"UPDATE certificates SET revoked_at = {at}, revocation_reason = 1, revocation_recorded_at = {at} WHERE serial = '{serial}'";
    }

    protected override string HexLiteral(byte[] bytes) => $"X'{Convert.ToHexString(bytes)}'";
}
