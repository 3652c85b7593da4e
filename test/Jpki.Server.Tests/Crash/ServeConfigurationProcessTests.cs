using System.Diagnostics;
using System.Net;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// <c>jpki serve</c> settings through the standard configuration, on real processes: the data folder's appsettings.json
/// sets the address and the role; a flag given wins over it; a bad value in the file or the environment stops the start
/// with exit 2 and a line naming the setting, before anything is created.
/// </summary>
public sealed class ServeConfigurationProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("jpki-config-").FullName;

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Serve_AppSettingsInTheDataFolder_ListensAndRunsTheRoleItNames()
    {
        var port = JpkiServerProcess.FreePort();
        WriteSettings(Data, $$"""{ "Serve": { "Urls": "http://127.0.0.1:{{port}}", "Role": "authority" } }""");
        using var server = new JpkiServerProcess(Data, port, new Dictionary<string, string>(), urlsFromSettings: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        await server.StartAsync(timeout.Token);

        Assert.Contains($"OpenJpki serving http://127.0.0.1:{port} with data in {Data} (authority only)", server.LogTail, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var counterApi = await http.GetAsync(new Uri("/api/counter/residents/search", UriKind.Relative), timeout.Token);
        Assert.Equal(HttpStatusCode.NotFound, counterApi.StatusCode); // no counter in this process
    }

    [Fact]
    public async Task Serve_FlagAndEnvironmentOverTheSettingsFile()
    {
        // The file names a port nothing listens on and the authority role; --urls (JpkiServerProcess passes it) and the
        // environment's JPKI_SERVE__ROLE win: the server answers on the flag's port and runs the counter too.
        var port = JpkiServerProcess.FreePort();
        WriteSettings(Data, """{ "Serve": { "Urls": "http://127.0.0.1:9", "Role": "authority" } }""");
        using var server = new JpkiServerProcess(Data, port, new Dictionary<string, string> { ["JPKI_SERVE__ROLE"] = "all" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        await server.StartAsync(timeout.Token);

        Assert.Contains($"OpenJpki serving http://127.0.0.1:{port} with data in {Data}. Ctrl+C", server.LogTail, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var counterApi = await http.GetAsync(new Uri("/api/counter/residents/search", UriKind.Relative), timeout.Token);
        Assert.NotEqual(HttpStatusCode.NotFound, counterApi.StatusCode);
    }

    [Theory]
    [InlineData("an address that is no URL", """{ "Serve": { "Urls": "ftp://127.0.0.1:21" } }""", null, "Serve:Urls")]
    [InlineData("an unknown role", """{ "Serve": { "Role": "verifier" } }""", null, "Serve:Role")]
    [InlineData("a metrics address that is a host name", """{ "Serve": { "MetricsUrl": "http://metrics.example.jp:9464/" } }""", null, "Serve:MetricsUrl")]
    [InlineData("a flag that is no boolean", """{ "Serve": { "Sandbox": "maybe" } }""", null, "Serve:Sandbox")]
    [InlineData("a broken file", """{ "Serve": { "Urls": """, null, "appsettings.json")]
    [InlineData("a bad proxy in the environment", null, "JPKI_SERVE__TRUSTEDPROXIES__0=proxy.example.jp", "Serve:TrustedProxies")]
    public async Task Serve_BadSetting_Exit2NamingTheSettingAndNothingCreated(string what, string? file, string? environment, string expected)
    {
        var config = Path.Combine(_root, "appsettings.json");
        if (file is not null)
        {
            await File.WriteAllTextAsync(config, file);
        }

        var (code, output) = await RunServeAsync(environment, file is null ? [] : ["--config", config]);

        Assert.True(code == 2, what + ": " + output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Data), "nothing created before the settings are checked");
    }

    [Fact]
    public async Task Serve_ConfigFileMissing_Exit2NamingIt()
    {
        var (code, output) = await RunServeAsync(null, ["--config", Path.Combine(_root, "nowhere.json")]);

        Assert.Equal(2, code);
        Assert.Contains("--config", output, StringComparison.Ordinal);
        Assert.Contains("nowhere.json", output, StringComparison.Ordinal);
    }

    private static void WriteSettings(string folder, string json)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), json);
    }

    /// <summary>Runs <c>jpki serve</c> that is expected to stop at its settings check; its exit code and all its output.</summary>
    private async Task<(int Code, string Output)> RunServeAsync(string? environment, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { JpkiServerProcess.CliPath, "serve", "--data", Data }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            var (name, value) = (environment[..environment.IndexOf('=', StringComparison.Ordinal)], environment[(environment.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            info.Environment[name] = value;
        }

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
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
