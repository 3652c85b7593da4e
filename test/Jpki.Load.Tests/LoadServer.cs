using System.Text.Json;
using Jpki.Core.Time;
using Jpki.Load.Data;
using Jpki.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Load.Tests;

/// <summary>
/// A small prepared data folder served in process as `jpki serve` would (loopback, free port), the clock on a
/// Wednesday at 10:00 JST (counter open); the tool reads the same clock. Shared by the tests of a class.
/// </summary>
public sealed class LoadServer : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0));

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "jpki-load-test-" + Guid.NewGuid().ToString("N")[..12]);

    public FakeTimeProvider Clock { get; } = new(Start);

    public string Url => _app!.Urls.First();

    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        var log = new StringWriter();
        var refusal = await Preparer.RunAsync(DataDirectory, new PrepareSettings(20, 10, 5, 3, 6, "http://127.0.0.1:8480"), Clock, log, default);
        Assert.Null(refusal);
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = DataDirectory, Urls = "http://127.0.0.1:0" }, Clock);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Runs jpki-load in process; returns the exit code, the parsed JSON report (when there is one) and stderr.</summary>
    public async Task<(int Exit, JsonElement? Report, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await LoadCommand.InvokeAsync(args, new LoadContext(stdout, stderr, Clock));
        var text = stdout.ToString();
        JsonElement? report = text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : null;
        return (exit, report, stderr.ToString());
    }
}
