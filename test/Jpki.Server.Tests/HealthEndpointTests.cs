using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests;

public sealed class HealthEndpointTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "jpki-server-test-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0" }, _clock);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Healthz_FreshDataFolder_ReportsOkWithInjectedTime()
    {
        Assert.True(Directory.Exists(_data), "the server creates its data folder");
        using var response = await _http!.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(_clock.GetUtcNow(), body.GetProperty("time").GetDateTimeOffset());
    }

    [Fact]
    public async Task Healthz_DataFolderRemoved_Reports503()
    {
        Directory.Delete(_data, recursive: true);
        using var response = await _http!.GetAsync(new Uri("/healthz", UriKind.Relative));
        Directory.CreateDirectory(_data);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Home_SaysWhatIsThere()
    {
        var html = await _http!.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("/healthz", html, StringComparison.Ordinal);
        Assert.Contains("公的個人認証サービス", html, StringComparison.Ordinal);
    }
}
