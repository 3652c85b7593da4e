using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Tests.Counter;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// Behind a TLS reverse proxy (issue 12, "no Secure cookies behind a TLS proxy"): <c>X-Forwarded-Proto</c> and
/// <c>X-Forwarded-For</c> count only from the proxies given in <see cref="JpkiServerOptions.TrustedProxies"/> (here the
/// test itself, on loopback). From them the request is https — every cookie <c>Secure</c> — and the client is the address the
/// proxy names, so the per-terminal lockout locks that terminal and not the proxy. From anybody else the headers change
/// nothing: a client can neither pose as https nor escape its lockout by naming another address.
/// </summary>
[Trait("Category", "Security")]
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private const string Password = "proxy-Desk-Vq7w-2026";
    private readonly List<(WebApplication App, string Data)> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (app, data) in _servers)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task FromTheTrustedProxy_HttpsAndTheNamedClient()
    {
        var app = await StartAsync(["127.0.0.1"]);

        // The proxy's terminal A guesses five times: A is locked, the proxy and terminal B are not.
        var a = new Browser(app, "203.0.113.7", https: true);
        await a.CsrfAsync();
        Assert.All(a.SetCookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        for (var i = 0; i < StaffDirectory.LockoutThreshold; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await a.LoginAsync("Wrong-Guess-" + i));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await a.LoginAsync(Password));
        var locks = await app.Services.GetRequiredService<ICounterStore>().ListClientLocksAsync(CounterServer.Start, default);
        Assert.Equal(["203.0.113.7"], locks.Select(l => l.Client));

        var b = new Browser(app, "203.0.113.8", https: true);
        await b.CsrfAsync();
        Assert.Equal(HttpStatusCode.OK, await b.LoginAsync(Password));
        Assert.Contains(b.SetCookies, c => c.StartsWith("jpki-staff=", StringComparison.Ordinal));
        Assert.All(b.SetCookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FromAnybodyElse_TheHeadersChangeNothing()
    {
        var app = await StartAsync([]);

        // "https" claimed by the client itself: no Secure cookie (it would be lost on this http connection).
        var claimed = new Browser(app, "198.51.100.1", https: true);
        await claimed.CsrfAsync();
        Assert.NotEmpty(claimed.SetCookies);
        Assert.All(claimed.SetCookies, c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));

        // Five guesses, each naming another address: all count against the real client, which is locked.
        for (var i = 0; i < StaffDirectory.LockoutThreshold; i++)
        {
            var spoofing = new Browser(app, "198.51.100." + (10 + i), https: false);
            await spoofing.CsrfAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, await spoofing.LoginAsync("Wrong-Guess-" + i));
        }

        var fresh = new Browser(app, "198.51.100.99", https: false);
        await fresh.CsrfAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await fresh.LoginAsync(Password));
        var locks = await app.Services.GetRequiredService<ICounterStore>().ListClientLocksAsync(CounterServer.Start, default);
        Assert.Equal(["127.0.0.1"], locks.Select(l => l.Client));
    }

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.0.0/24", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("proxy.example.jp", false)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("", false)]
    public void ProxyAddress_AnAddressOrANetwork(string value, bool valid) => Assert.Equal(valid, JpkiServerOptions.IsProxyAddress(value));

    private async Task<WebApplication> StartAsync(string[] trustedProxies)
    {
        var data = Path.Combine(Path.GetTempPath(), "jpki-proxy-" + Guid.NewGuid().ToString("N")[..12]);
        var app = JpkiServerHost.Build(
            new JpkiServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0", TrustedProxies = trustedProxies },
            new FakeTimeProvider(CounterServer.Start));
        await app.StartAsync();
        _servers.Add((app, data));
        Assert.Null(await app.Services.GetRequiredService<StaffDirectory>().AddAsync("desk1", "窓口　一郎", StaffRole.Clerk, Password, mustChange: false, default));
        return app;
    }

    /// <summary>
    /// A browser behind the proxy: its own cookie jar that also sends <c>Secure</c> cookies over the test's plain
    /// connection (the proxy's TLS ends before the server), and the headers the proxy adds.
    /// </summary>
    private sealed class Browser(WebApplication app, string forwardedFor, bool https)
    {
        private readonly Dictionary<string, string> _jar = new(StringComparer.Ordinal);
        private string? _token;

        public List<string> SetCookies { get; } = [];

        public async Task CsrfAsync()
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/counter/csrf", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            _token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        }

        public async Task<HttpStatusCode> LoginAsync(string password)
        {
            using var response = await SendAsync(HttpMethod.Post, "/api/counter/session", JsonContent.Create(new { id = "desk1", password }));
            return response.StatusCode;
        }

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content)
        {
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()) };
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            request.Headers.Add("X-Forwarded-Proto", https ? "https" : "http");
            if (_jar.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _jar.Select(c => c.Key + "=" + c.Value)));
            }

            if (_token is not null)
            {
                request.Headers.Add("X-CSRF-TOKEN", _token);
            }

            var response = await http.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                SetCookies.Add(header);
                var pair = header.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                _jar[pair[..equals]] = pair[(equals + 1)..];
            }

            return response;
        }
    }
}
