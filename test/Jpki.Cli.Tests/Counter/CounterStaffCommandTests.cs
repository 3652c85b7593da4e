using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Core.Time;
using Jpki.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Counter;

/// <summary>
/// <c>jpki counter staff …</c> on a temp data folder; a password set by the CLI is then used to sign in at a real
/// server on the same folder, so the test proves the hash is one the web login accepts.
/// </summary>
public sealed class CounterStaffCommandTests : IDisposable
{
    private const string Password = "Kq8-staff-reset-Tz";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("jpki-cli-staff-");
    private readonly FakeTimeProvider _clock = new(JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0)));

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task Add_ThenList_ShowsAccountThatMustChangePassword()
    {
        var added = await RunAsync(Password + "\n", "counter", "staff", "add", "tanaka", "--name", "田中", "--role", "supervisor", "--data", _data.FullName);
        Assert.Equal(0, added.ExitCode);

        var listed = await RunAsync("", "counter", "staff", "list", "--data", _data.FullName, "--json");

        Assert.Equal(0, listed.ExitCode);
        using var json = JsonDocument.Parse(listed.Stdout);
        var account = json.RootElement.GetProperty("staff").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "tanaka");
        Assert.Equal("supervisor", account.GetProperty("role").GetString());
        Assert.True(account.GetProperty("mustChangePassword").GetBoolean());
        Assert.DoesNotContain(Password, added.Stdout + added.Stderr + listed.Stdout + listed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ExistingId_Exit1()
    {
        Assert.Equal(0, (await RunAsync(Password + "\n", "counter", "staff", "add", "sato", "--name", "佐藤", "--data", _data.FullName)).ExitCode);

        var again = await RunAsync(Password + "\n", "counter", "staff", "add", "sato", "--name", "佐藤", "--data", _data.FullName, "--json");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("existing-id", again.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short\n", "must be")]
    [InlineData("", "standard input")]
    public async Task Add_WeakOrMissingPassword_Exit2(string stdin, string message)
    {
        var result = await RunAsync(stdin, "counter", "staff", "add", "kato", "--name", "加藤", "--data", _data.FullName);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_LogsEvent3102OnStderr_AtTheLevelAsked_NeverThePassword()
    {
        Assert.Equal(0, (await RunAsync("first-password-123\n", "counter", "staff", "add", "suzuki", "--name", "鈴木", "--data", _data.FullName)).ExitCode);

        var reset = await RunAsync(Password + "\n", "counter", "staff", "reset-password", "suzuki", "--data", _data.FullName, "--json");
        var quiet = await RunAsync(Password + "\n", "counter", "staff", "reset-password", "suzuki", "--data", _data.FullName, "--json", "--log-level", "Warning");

        Assert.Equal((0, 0), (reset.ExitCode, quiet.ExitCode));
        Assert.Contains("[3102] Staff account 'suzuki': password reset", reset.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("[3102]", quiet.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("{", reset.Stdout.TrimStart(), StringComparison.Ordinal);
        Assert.All(new[] { Password, "first-password-123" }, p => Assert.DoesNotContain(p, reset.Stderr + reset.Stdout + quiet.Stderr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResetPassword_UnknownId_Exit1()
    {
        var result = await RunAsync(Password + "\n", "counter", "staff", "reset-password", "nobody", "--data", _data.FullName, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown-id", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_LockedOutSupervisor_CanSignInAtTheServerWithTheNewPassword()
    {
        Assert.Equal(0, (await RunAsync("first-password-123\n", "counter", "staff", "add", "chief", "--name", "課長", "--role", "supervisor", "--data", _data.FullName)).ExitCode);

        await using (var server = await StartServerAsync())
        {
            using var client = await server.ClientAsync();
            for (var i = 0; i < 5; i++)
            {
                await client.PostAsJsonAsync("/api/counter/session", new { id = "chief", password = "wrong-password-xx" });
            }

            using var locked = await client.PostAsJsonAsync("/api/counter/session", new { id = "chief", password = "first-password-123" });
            Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        }

        // `staff list` shows the lock the server's per-terminal lockout set (it used to read an account-level lock nothing sets).
        Assert.Equal(["127.0.0.1"], await LockedFromAsync("chief"));
        var text = await RunAsync("", "counter", "staff", "list", "--data", _data.FullName);
        Assert.Contains("locked from 127.0.0.1 until", text.Stdout, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable("JPKI_TEST_STAFF_PASSWORD", Password);
        var reset = await RunAsync("", "counter", "staff", "reset-password", "chief", "--password-env", "JPKI_TEST_STAFF_PASSWORD", "--data", _data.FullName);
        Environment.SetEnvironmentVariable("JPKI_TEST_STAFF_PASSWORD", null);
        Assert.Equal(0, reset.ExitCode);
        Assert.Empty(await LockedFromAsync("chief"));

        await using (var server = await StartServerAsync())
        {
            using var client = await server.ClientAsync();
            using var signedIn = await client.PostAsJsonAsync("/api/counter/session", new { id = "chief", password = Password });
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }
    }

    [Fact]
    public async Task Disable_ThenEnable_FlagFollows()
    {
        Assert.Equal(0, (await RunAsync(Password + "\n", "counter", "staff", "add", "ito", "--name", "伊藤", "--data", _data.FullName)).ExitCode);

        Assert.Equal(0, (await RunAsync("", "counter", "staff", "disable", "ito", "--data", _data.FullName)).ExitCode);
        Assert.True(await DisabledAsync("ito"));
        Assert.Equal(0, (await RunAsync("", "counter", "staff", "enable", "ito", "--data", _data.FullName)).ExitCode);
        Assert.False(await DisabledAsync("ito"));
        Assert.Equal(1, (await RunAsync("", "counter", "staff", "disable", "nobody", "--data", _data.FullName)).ExitCode);
    }

    private async Task<bool> DisabledAsync(string id)
    {
        var listed = await RunAsync("", "counter", "staff", "list", "--data", _data.FullName, "--json");
        using var json = JsonDocument.Parse(listed.Stdout);
        return json.RootElement.GetProperty("staff").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id).GetProperty("disabled").GetBoolean();
    }

    private async Task<List<string?>> LockedFromAsync(string id)
    {
        var listed = await RunAsync("", "counter", "staff", "list", "--data", _data.FullName, "--json");
        using var json = JsonDocument.Parse(listed.Stdout);
        return [.. json.RootElement.GetProperty("staff").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id)
            .GetProperty("lockedOut").EnumerateArray().Select(l => l.GetProperty("client").GetString())];
    }

    private async Task<RunningServer> StartServerAsync()
    {
        var app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _data.FullName, Urls = "http://127.0.0.1:0" }, _clock);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.Single()
            : throw new InvalidOperationException("no server");
        return new RunningServer(app, new Uri(address));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await JpkiCommand.InvokeAsync(args, stdout, stderr, _clock, input);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private sealed record RunningServer(Microsoft.AspNetCore.Builder.WebApplication App, Uri Address) : IAsyncDisposable
    {
        /// <summary>A cookie-keeping client with the CSRF header the session endpoint requires.</summary>
        public async Task<HttpClient> ClientAsync()
        {
            var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Address };
            var token = await client.GetFromJsonAsync<JsonElement>("/api/counter/csrf");
            client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token.GetProperty("token").GetString());
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
