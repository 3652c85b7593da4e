using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// No silent insecure default, on real <c>jpki serve</c> processes: without a card-management key the embedded default
/// runs in sandbox mode and says so (a warning in the log at start, a banner on every staff page); a configured
/// deployment (a key file) never shows it; the counter role, or a key file that is no key, refuses to start and names
/// the setting.
/// </summary>
public sealed class SandboxModeProcessTests : IDisposable
{
    private const string Banner = "id=\"sandbox-card-key\"";
    private readonly string _root = Directory.CreateTempSubdirectory("jpki-sandbox-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Serve_WithoutCardKey_SandboxSaidOnStartAndOnTheStaffPages()
    {
        using var server = new JpkiServerProcess(Path.Combine(_root, "data"), JpkiServerProcess.FreePort(), new Dictionary<string, string>());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await server.StartAsync(timeout.Token);

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var login = await http.GetStringAsync(new Uri("/staff/login", UriKind.Relative), timeout.Token);

        Assert.Contains(Banner, login, StringComparison.Ordinal);
        Assert.Contains("開発用のカード管理鍵", login, StringComparison.Ordinal);
        Assert.Contains("SANDBOX MODE", server.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithCardKeyFile_NoSandboxBannerNorWarning()
    {
        var key = Path.Combine(_root, "card-master.key");
        await File.WriteAllTextAsync(key, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        using var server = new JpkiServerProcess(Path.Combine(_root, "data"), JpkiServerProcess.FreePort(), new Dictionary<string, string>(), ["--card-master-key-file", key]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await server.StartAsync(timeout.Token);

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var login = await http.GetAsync(new Uri("/staff/login", UriKind.Relative), timeout.Token);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.DoesNotContain(Banner, await login.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
        Assert.DoesNotContain("SANDBOX", server.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RoleCounterWithoutCardKey_RefusesToStartNamingTheSetting()
    {
        var raKey = Path.Combine(_root, "ra.key");
        await File.WriteAllTextAsync(raKey, "some-ra-key");

        var (code, output) = await RunServeAsync("--role", "counter", "--authority", "http://127.0.0.1:9", "--ra-key-file", raKey);

        Assert.Equal(2, code);
        Assert.Contains("--card-master-key-file", output, StringComparison.Ordinal);
        Assert.Contains("JPKI_CARD_MASTER_KEY_FILE", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "data")), "nothing created before the settings are checked");
    }

    [Theory]
    [InlineData("short key", "0123abcd")]
    [InlineData("missing file", null)]
    public async Task Serve_CardKeyFileThatIsNoKey_RefusesToStartNamingTheSetting(string what, string? content)
    {
        var key = Path.Combine(_root, "card-master.key");
        if (content is not null)
        {
            await File.WriteAllTextAsync(key, content);
        }

        var (code, output) = await RunServeAsync("--card-master-key-file", key);

        Assert.True(code == 2, what + ": " + output);
        Assert.Contains("--card-master-key-file " + key, output, StringComparison.Ordinal);
        Assert.DoesNotContain("SANDBOX", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SandboxWithCardKeyFile_Refused()
    {
        var key = Path.Combine(_root, "card-master.key");
        await File.WriteAllTextAsync(key, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

        var (code, output) = await RunServeAsync("--sandbox", "--card-master-key-file", key);

        Assert.Equal(2, code);
        Assert.Contains("--sandbox", output, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>jpki serve</c> that is expected to stop at its settings check; its exit code and all its output.</summary>
    private async Task<(int Code, string Output)> RunServeAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { JpkiServerProcess.CliPath, "serve", "--data", Path.Combine(_root, "data"), "--urls", "http://127.0.0.1:0" }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("JPKI_CARD_MASTER_KEY_FILE");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("jpki serve did not stop at its settings check: " + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
