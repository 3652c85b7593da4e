using System.CommandLine;
using System.Text.Json;
using Jpki.Authority.Audit;
using Jpki.Authority.Registry;
using Jpki.Cli.Commands.Authority;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Commands.Authority;

/// <summary>
/// <c>audit verify</c> and <c>audit head</c> on a SQLite registry in a temp folder. The command is run under a test
/// root (the authority helper wires it into <c>jpki authority</c>).
/// </summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jpki-cli-audit-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    private string DatabasePath => Path.Combine(_folder, "registry.db");

    public async Task InitializeAsync()
    {
        var store = await RegistryFactory.OpenAsync(RegistryFactory.Resolve(_folder, null), _clock, migrate: true, CancellationToken.None);
        await using (store)
        {
            for (var i = 1; i <= 5; i++)
            {
                await store.AppendAsync(new AuditEntry(_clock.GetUtcNow().AddSeconds(i), "system", "crl.publish", $"sign#{i}", "{}"), CancellationToken.None);
            }
        }
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Verify_IntactLog_ExitsZero()
    {
        var (code, stdout, _) = await RunAsync("audit", "verify", "--data", _folder);

        Assert.Equal(0, code);
        Assert.Contains("intact: 5 entries", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChangedEntry_ExitsOneWithSequenceAndKindInJson()
    {
        await TamperAsync("UPDATE audit_log SET details = '{\"reason\":1}' WHERE seq = 3");

        var (code, stdout, _) = await RunAsync("audit", "verify", "--registry", DatabasePath, "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal(3, json.RootElement.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal("changed", json.RootElement.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task Verify_RemovedEntry_ExitsOneAndNamesTheGap()
    {
        await TamperAsync("DELETE FROM audit_log WHERE seq = 2");

        var (code, stdout, _) = await RunAsync("audit", "verify", "--data", _folder);

        Assert.Equal(1, code);
        Assert.Contains("BROKEN at entry 2 (removed)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TailCutOffAgainstRecordedHead_ExitsOne()
    {
        var (_, head, _) = await RunAsync("audit", "head", "--data", _folder);
        await TamperAsync("DELETE FROM audit_log WHERE seq = 5");

        var (plain, _, _) = await RunAsync("audit", "verify", "--data", _folder);
        var (anchored, stdout, _) = await RunAsync("audit", "verify", "--data", _folder, "--expect-head", head.Trim());

        Assert.Equal(0, plain);
        Assert.Equal(1, anchored);
        Assert.Contains("(truncated)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_PrintsSequenceAndHash()
    {
        var (code, stdout, _) = await RunAsync("audit", "head", "--data", _folder, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(5, json.RootElement.GetProperty("sequence").GetInt64());
        Assert.Equal(64, json.RootElement.GetProperty("hash").GetString()!.Length);
    }

    [Theory]
    [InlineData("--expect-head", "5:abc")]
    [InlineData("--registry", "postgres:///nohost")]
    public async Task Verify_BadInput_ExitsTwo(string option, string value)
    {
        var (code, _, stderr) = await RunAsync("audit", "verify", "--data", _folder, option, value);

        Assert.Equal(2, code);
        Assert.StartsWith("error:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MissingRegistry_ExitsTwoWithoutCreatingIt()
    {
        var missing = Path.Combine(_folder, "nothing-here");

        var (code, _, stderr) = await RunAsync("audit", "verify", "--data", missing);

        Assert.Equal(2, code);
        Assert.Contains("No registry", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Verify_NotADatabase_ExitsTwo()
    {
        var junk = Path.Combine(_folder, "junk.db");
        await File.WriteAllTextAsync(junk, "this is not SQLite, just text long enough to fill a header page....................................");

        var (code, _, _) = await RunAsync("audit", "verify", "--registry", junk);

        Assert.Equal(2, code);
    }

    private async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, _clock);
        var root = new RootCommand("test root") { GlobalOptions.Json };
        root.Subcommands.Add(AuditCommand.Create(context));
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
