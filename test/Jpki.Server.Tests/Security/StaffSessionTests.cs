using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Jpki.Municipality.Staff;
using Jpki.Server.Staff;
using Jpki.Server.Tests.Counter;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// Issue 12's staff-session findings, each from the outside (HTTP, cookies copied between terminals and servers): cookie
/// keys per deployment, sessions that end on logout, password change and reset, the absolute 8-hour limit, per-terminal
/// lockout without account enumeration, one-time passwords, weak passwords, the open redirect after login (judged by
/// node's WHATWG URL parser, the one browsers implement), security headers, Host filtering and the connection limit.
/// </summary>
[Trait("Category", "Security")]
public sealed class StaffSessionTests(CounterServer server) : IClassFixture<CounterServer>
{
    private const string Password = "desk-Pq7w-Zk3m";

    [Fact]
    public async Task StaffCookie_OfAnotherDataFolder_Refused_OfTheSameFolder_AcceptedByASecondServer()
    {
        await WithOwnServerAsync(CrossServerAsync);
    }

    private async Task CrossServerAsync(CounterServer other)
    {
        using var client = await server.ClientAsync();
        var cookie = StaffCookie(client, server);

        // The keys are the deployment's: the other data folder cannot even read the ticket (before: both used ~/.aspnet).
        Assert.NotNull(TicketFormat(server).Unprotect(cookie));
        Assert.Null(TicketFormat(other).Unprotect(cookie));
        using (var foreign = await MeWithCookieAsync(other.BaseAddress, cookie))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        }

        // A second server on the same data folder (a restart, or a second process) shares the keys: the session holds.
        await using var second = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = server.DataDirectory, Urls = "http://127.0.0.1:0" }, server.Clock);
        await second.StartAsync();
        using var same = await MeWithCookieAsync(new Uri(second.Urls.First()), cookie);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    [Fact]
    public async Task Logout_EndsTheAccountsSessionsOnOtherTerminals()
    {
        await AddAsync("logout1");
        using var desk = await LoginAsync("logout1");
        using var copy = await LoginAsync("logout1");
        var copied = StaffCookie(copy, server);

        using (var logout = await desk.Http.DeleteAsync(new Uri("/api/counter/session", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var after = await copy.Http.GetAsync(new Uri("/api/counter/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var replayed = await MeWithCookieAsync(server.BaseAddress, copied);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task PasswordChange_EndsOtherSessions_KeepsThisOne()
    {
        await AddAsync("change1");
        using var desk = await LoginAsync("change1");
        using var other = await LoginAsync("change1");

        using (var change = await ChangePasswordAsync(desk, Password, "new-Desk-Pass-2026"))
        {
            Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
            Assert.Equal("/counter", change.Headers.Location?.OriginalString);
        }

        await desk.RefreshCsrfAsync();
        using var mine = await desk.Http.GetAsync(new Uri("/api/counter/me", UriKind.Relative));
        using var theirs = await other.Http.GetAsync(new Uri("/api/counter/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, theirs.StatusCode);
    }

    [Fact]
    public async Task PasswordChange_GuessingTheCurrentPassword_LocksAndEndsTheSession()
    {
        await AddAsync("guess1");
        using var stolen = await LoginAsync("guess1");
        var pages = new List<HttpStatusCode>();
        for (var i = 0; i < StaffDirectory.LockoutThreshold; i++)
        {
            using var guess = await ChangePasswordAsync(stolen, "guess-" + i + "-Xq9z", "new-Desk-Pass-2026");
            pages.Add(guess.StatusCode);
        }

        // Wrong current password (422) four times; the fifth locks, ends the session and shows the login page (401).
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.UnprocessableEntity, StaffDirectory.LockoutThreshold - 1), HttpStatusCode.Unauthorized], pages);
        using var me = await stolen.Http.GetAsync(new Uri("/api/counter/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);

        // Even the right password opens nothing from that terminal until the lock ends.
        await stolen.RefreshCsrfAsync();
        using var relogin = await stolen.Http.PostAsJsonAsync("/api/counter/session", new { id = "guess1", password = Password });
        Assert.Equal(StaffLoginResult.Locked, await CodeAsync(relogin));
    }

    [Fact]
    public async Task Lockout_PasswordTypedIntoTheIdField_NeverStoredUnderItsText()
    {
        // A clerk types the password into the id field: the failures still count and lock, but under a hash of the text.
        var staff = server.App.Services.GetRequiredService<StaffDirectory>();
        const string typed = "Secret-Pass-4711";
        string? last = null;
        for (var i = 0; i <= StaffDirectory.LockoutThreshold; i++)
        {
            last = (await staff.LoginAsync(typed, "anything", "192.0.2.77", default)).Code;
        }

        Assert.Equal(StaffLoginResult.Locked, last);
        Assert.False((await server.Store.FindClientLoginStateAsync(typed, "192.0.2.77", default)).IsLockedAt(server.Clock.GetUtcNow()));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(server.DataDirectory, "counter.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(typed)) >= 0, $"the typed text is in {Path.GetFileName(file)}");
        }
    }

    [Fact]
    public async Task Lockout_IsPerTerminal_AndUnknownIdsLockAlike()
    {
        await AddAsync("target1");
        var staff = server.App.Services.GetRequiredService<StaffDirectory>();
        var known = new List<string?>();
        var unknown = new List<string?>();
        for (var i = 0; i < StaffDirectory.LockoutThreshold + 1; i++)
        {
            known.Add((await staff.LoginAsync("target1", "wrong-Pass-" + i, "192.0.2.66", default)).Code);
            unknown.Add((await staff.LoginAsync("nosuch1", "wrong-Pass-" + i, "192.0.2.66", default)).Code);
        }

        // The same answers for an id that exists and one that does not: nothing to enumerate.
        Assert.Equal(known, unknown);
        Assert.Equal(StaffLoginResult.Locked, known[^1]);
        Assert.Equal(StaffLoginResult.Locked, (await staff.LoginAsync("target1", Password, "192.0.2.66", default)).Code);

        // The clerk at the desk (another address) still signs in: five requests from elsewhere lock nobody out.
        using var desk = await LoginAsync("target1");
        using var me = await desk.Http.GetAsync(new Uri("/api/counter/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task OneTimePassword_OpensOneSession_ThatMayOnlyChangeIt()
    {
        var staff = server.App.Services.GetRequiredService<StaffDirectory>();
        Assert.Null(await staff.AddAsync("fresh1", "新任　課長", StaffRole.Supervisor, Password, mustChange: true, default));
        using var first = await LoginAsync("fresh1");
        using (var work = await first.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = "x" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, work.StatusCode);
        }

        using (var queue = await first.Http.GetAsync(new Uri("/staff/accounts", UriKind.Relative)))
        {
            // The forced change no longer exempts all of /staff: the session is sent to the password page.
            Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
            Assert.Equal("/staff/password", queue.Headers.Location?.OriginalString);
        }

        using var second = await server.ClientAsync(id: null);
        using (var reuse = await second.Http.PostAsJsonAsync("/api/counter/session", new { id = "fresh1", password = Password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
            Assert.Equal(StaffLoginResult.OneTimeUsed, await CodeAsync(reuse));
        }

        using var change = await ChangePasswordAsync(first, Password, "fresh-Desk-Pass-77");
        Assert.Equal("/counter", change.Headers.Location?.OriginalString);
        await first.RefreshCsrfAsync();
        using var now = await first.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = "x" });
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("admin12345678")]
    [InlineData("qwertyuiop12")]
    [InlineData("weak1weak1weak1")]
    [InlineData("short-1")]
    public async Task WeakPassword_Refused_OnAddResetAndChange(string weak)
    {
        var staff = server.App.Services.GetRequiredService<StaffDirectory>();
        var id = "weak" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(weak)))[..8].ToLowerInvariant();
        Assert.Equal("weak-password", await staff.AddAsync(id, "弱い　パスワード", StaffRole.Clerk, weak, mustChange: false, default));
        Assert.Null(await staff.AddAsync(id, "弱い　パスワード", StaffRole.Clerk, Password, mustChange: false, default));
        Assert.Equal("weak-password", await staff.ResetPasswordAsync(id, weak, default));
        Assert.Equal("weak-password", (await staff.ChangePasswordAsync(id, Password, weak, "192.0.2.1", server.DataDirectory, default)).Code);
    }

    [Theory]
    [InlineData("tanaka-new-pass-2026")]
    [InlineData("Kq8-staff-reset-Tz")]
    [InlineData("こうていきこう窓口あさ")]
    public void StrongPassword_Accepted(string strong) => Assert.True(StaffPasswordPolicy.IsStrong(strong, "tanaka", "田中　一郎"));

    [Fact]
    public void Password_MadeOfTheAccountsOwnNames_Refused() =>
        Assert.False(StaffPasswordPolicy.IsStrong("tanaka-tanaka12", "tanaka", "Tanaka Ichiro"));

    [Fact]
    public async Task ReturnUrl_Hostile_StaysOnTheSite_NeverA500()
    {
        var hostile = new[]
        {
            "/\t/evil.example/", "/\n/evil.example/", "/\r\n/evil.example/", "//evil.example/", "/\\evil.example/",
            "/%09/evil.example/", "https://evil.example/", "/\u3000/evil.example", "/counter\r\nSet-Cookie: x=1", "/住民?q=山田",
            "/\ud800", "javascript:alert(1)", "/counter?q=1#x", "",
        };
        var locations = new List<string>();
        var refused = new List<string>();
        foreach (var returnUrl in hostile)
        {
            using var client = await server.ClientAsync(id: null);
            using var response = await client.Http.PostAsync(new Uri("/staff/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["id"] = "clerk1", ["password"] = CounterServer.ClerkPassword, ["returnUrl"] = returnUrl,
            }));
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                // Control characters in a form field are refused as bad input before the login (never a 500).
                refused.Add(returnUrl);
                continue;
            }

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!.OriginalString;
            Assert.True(location.All(c => c is > ' ' and < '\u007f'), location);
            locations.Add(location);
        }

        Assert.All(refused, r => Assert.Contains(r, c => char.IsControl(c) || char.IsSurrogate(c)));

        // A browser's own URL parser (WHATWG, node) resolves every Location on this site.
        var origin = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var resolved = await ResolveWithNodeAsync(server.BaseAddress + "staff/login", locations);
        Assert.All(resolved, r => Assert.Equal(origin, r));
        Assert.Contains("/%E4%BD%8F%E6%B0%91?q=%E5%B1%B1%E7%94%B0", locations);
        Assert.Contains("/counter?q=1#x", locations);

        // The tab that left the site before (/<TAB>/evil.example: browsers drop the tab and read //evil.example) in the
        // login page's link is dropped there, and the page never echoes it into its form.
        foreach (var query in new[] { "%2F%09%2Fevil.example", "%2F%0D%0A%2Fevil.example", "%2F%5Cevil.example", "%2F%E4%BD%8F%E6%B0%91" })
        {
            using var anonymous = await server.ClientAsync(id: null);
            using var page = await anonymous.Http.GetAsync(new Uri("/staff/login?returnUrl=" + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.DoesNotContain("evil.example", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/\t/evil.example/", null)]
    [InlineData("/\n/evil.example/", null)]
    [InlineData("/\\evil.example/", null)]
    [InlineData("//evil.example/", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("/\u3000/evil.example", null)]
    [InlineData("/住民?q=1", "/%E4%BD%8F%E6%B0%91?q=1")]
    [InlineData("/counter?q=1#x", "/counter?q=1#x")]
    public void LocalReturnUrl_OnlyPathsOfThisSite(string value, string? expected) =>
        Assert.Equal(expected, Jpki.Server.Web.LocalReturnUrl.Sanitize(System.Text.RegularExpressions.Regex.Unescape(value)));
    [Fact]
    public async Task Responses_CarrySecurityHeaders_And413ClosesTheConnection()
    {
        using var client = await server.ClientAsync(id: null);
        using var api = await client.Http.GetAsync(new Uri("/api/counter/csrf", UriKind.Relative));
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", api.Headers.GetValues("X-Frame-Options").Single());
        Assert.StartsWith("default-src 'none'", api.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var page = await client.Http.GetAsync(new Uri("/staff/login", UriKind.Relative));
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        using var big = new ByteArrayContent(Encoding.ASCII.GetBytes("\"" + new string('a', 100 * 1024) + "\""));
        big.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var refused = await client.Http.PostAsync(new Uri("/api/counter/session", UriKind.Relative), big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.True(refused.Headers.ConnectionClose, "413 without Connection: close");
    }

    [Fact]
    public async Task Host_NotThisServers_400_Loopback_Served()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri("/staff/login", UriKind.Relative));
        rebound.Headers.Host = "rebound.example:" + server.BaseAddress.Port;
        using var refused = await http.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var local = new HttpRequestMessage(HttpMethod.Get, new Uri("/staff/login", UriKind.Relative));
        local.Headers.Host = "localhost:" + server.BaseAddress.Port;
        using var served = await http.SendAsync(local);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task SessionLifetime_EightHoursFromLogin_HoweverActive()
    {
        await WithOwnServerAsync(ExpiresAsync);
    }

    private static async Task ExpiresAsync(CounterServer own)
    {
        using var client = await own.ClientAsync();
        for (var hour = 1; hour < 8; hour++)
        {
            own.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMinutes(1));
            using var active = await client.Http.GetAsync(new Uri("/api/counter/me", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        }

        // 8 hours and a minute after the password login: over, although the last request was an hour ago.
        own.Clock.Advance(TimeSpan.FromHours(8) - (7 * (TimeSpan.FromHours(1) - TimeSpan.FromMinutes(1))) + TimeSpan.FromMinutes(1));
        using var expired = await client.Http.GetAsync(new Uri("/api/counter/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Connections_OverTheLimit_ClosedAtOnce_ServerKeepsServing()
    {
        const int limit = 3;
        var data = Path.Combine(Path.GetTempPath(), "jpki-connlimit-" + Guid.NewGuid().ToString("N")[..12]);
        await using var app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0", MaxConnections = limit }, new FakeTimeProvider(CounterServer.Start));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < limit; i++)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                Assert.StartsWith("HTTP/1.1 200", await GetAsync(tcp), StringComparison.Ordinal);
                held.Add(tcp);
            }

            using (var over = new TcpClient())
            {
                await over.ConnectAsync(IPAddress.Loopback, port);
                Assert.Equal(string.Empty, await GetAsync(over));
            }

            // The held connections still work, and once they close new ones are served again.
            Assert.StartsWith("HTTP/1.1 200", await GetAsync(held[0]), StringComparison.Ordinal);
            held.ForEach(t => t.Dispose());
            held.Clear();
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = new Uri(app.Urls.First()) };
            HttpStatusCode? status = null;
            for (var attempt = 0; attempt < 200 && status != HttpStatusCode.OK; attempt++)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    // Kestrel has not yet counted a closed connection out: poll until it has.
                    await Task.Delay(25);
                }
            }

            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            held.ForEach(t => t.Dispose());
            await app.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="test"/> on a server of its own (another data folder, or a clock it may move).</summary>
    private static async Task WithOwnServerAsync(Func<CounterServer, Task> test)
    {
        var own = new CounterServer();
        await own.InitializeAsync();
        try
        {
            await test(own);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private static async Task<string> GetAsync(TcpClient tcp)
    {
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var buffer = new byte[4096];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return string.Empty; // reset by the server
        }
    }

    private static async Task<List<string>> ResolveWithNodeAsync(string baseUrl, IReadOnlyList<string> locations)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add("const i=JSON.parse(require('fs').readFileSync(0,'utf8'));console.log(JSON.stringify(i.l.map(l=>new URL(l,i.b).origin)))");
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not installed: install the Debian package nodejs (apt-get install -y nodejs).", e);
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new { b = baseUrl, l = locations }));
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, error);
            return JsonSerializer.Deserialize<List<string>>(output)!;
        }
    }

    private static string StaffCookie(CounterServer.StaffClient client, CounterServer at) =>
        client.Handler.CookieContainer.GetCookies(at.BaseAddress)["jpki-staff"]!.Value;

    private static Microsoft.AspNetCore.Authentication.ISecureDataFormat<Microsoft.AspNetCore.Authentication.AuthenticationTicket> TicketFormat(CounterServer at) =>
        at.App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(StaffClaims.Scheme).TicketDataFormat;

    private static async Task<HttpResponseMessage> MeWithCookieAsync(Uri baseAddress, string cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/counter/me", UriKind.Relative));
        request.Headers.Add("Cookie", "jpki-staff=" + cookie);
        return await http.SendAsync(request);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private static Task<HttpResponseMessage> ChangePasswordAsync(CounterServer.StaffClient client, string current, string next) =>
        client.Http.PostAsync(new Uri("/staff/password", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["current"] = current, ["new"] = next, ["confirm"] = next,
        }));

    private async Task AddAsync(string id) =>
        Assert.Null(await server.App.Services.GetRequiredService<StaffDirectory>().AddAsync(id, "職員　" + id, StaffRole.Clerk, Password, mustChange: false, default));

    private async Task<CounterServer.StaffClient> LoginAsync(string id)
    {
        var client = await server.ClientAsync(id: null);
        using var login = await client.Http.PostAsJsonAsync("/api/counter/session", new { id, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        await client.RefreshCsrfAsync();
        return client;
    }
}
