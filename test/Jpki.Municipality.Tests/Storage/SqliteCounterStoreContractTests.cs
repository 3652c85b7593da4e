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

    [Fact]
    public async Task CompletedWorkflow_RequestBodyGoneFromTheFiles()
    {
        // A workflow's request body holds a public key, holder ids and (signature certificates) basic-4 data: once the
        // workflow ends it is set to NULL, and secure_delete plus the WAL checkpoint must take it out of the files too.
        var marker = "BODY-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(200));
        var at = new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);
        await Store.RecordIssuanceIntentAsync(new Jpki.Municipality.Applications.IssuanceWorkflow(
            "req-secure-delete", Jpki.Core.Identity.CertificateKind.Signature, "R1", "C1", "clerk1",
            Jpki.Municipality.Applications.IssuanceWorkflowState.Intended, null, marker, at, at, 0, null), default);
        Assert.True(FilesContain(marker), "the scan must find the body while the workflow is open");

        Assert.True(await Store.CompleteIssuanceAsync("req-secure-delete", Jpki.Municipality.Applications.IssuanceWorkflowState.Intended,
            Jpki.Municipality.Applications.IssuanceWorkflowState.NotIssued, at, default));

        Assert.False(FilesContain(marker), "the request body stayed in counter.db or its WAL after the workflow ended");
    }

    /// <summary>True when any 16-character piece of <paramref name="text"/> is in counter.db or its WAL (a fragment left in a free block counts).</summary>
    private bool FilesContain(string text)
    {
        var files = Directory.EnumerateFiles(_directory, CounterStores.DefaultFileName + "*").Select(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }).ToList();
        for (var start = 0; start + 16 <= text.Length; start += 16)
        {
            var piece = System.Text.Encoding.UTF8.GetBytes(text.Substring(start, 16));
            if (files.Any(bytes => bytes.AsSpan().IndexOf(piece) >= 0))
            {
                return true;
            }
        }

        return false;
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
