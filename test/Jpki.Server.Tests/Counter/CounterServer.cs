using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Staff;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Counter;

/// <summary>
/// The embedded default server (`jpki serve`: test authority, counter runtime, SQLite) on a temp data folder and a free
/// loopback port, with staff accounts <c>clerk1</c> and <c>super1</c>, and residents with virtual card files. The clock
/// starts on Wednesday 2026-06-10 at 10:00 JST (office open).
/// </summary>
public partial class CounterServer : IAsyncLifetime
{
    public const string CardPin = "1234";
    public const string ClerkPassword = "clerk-desk-Hq4v7";
    public const string SupervisorPassword = "super-password-1";
    public static readonly DateTimeOffset Start = JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0));

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "jpki-counter-web-" + Guid.NewGuid().ToString("N")[..12]);

    public FakeTimeProvider Clock { get; } = new(Start);

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress => new(App.Urls.First());

    public ICounterStore Store => App.Services.GetRequiredService<ICounterStore>();

    public async Task InitializeAsync()
    {
        await BeforeBuildAsync();
        App = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = DataDirectory, Urls = "http://127.0.0.1:0" }, Clock);
        await App.StartAsync();
        var staff = App.Services.GetRequiredService<StaffDirectory>();
        Assert.Null(await staff.AddAsync("clerk1", "窓口　花子", StaffRole.Clerk, ClerkPassword, mustChange: false, default));
        Assert.Null(await staff.AddAsync("super1", "監督　太郎", StaffRole.Supervisor, SupervisorPassword, mustChange: false, default));
    }

    /// <summary>Runs before the server is built on <see cref="DataDirectory"/> (e.g. to initialise the authority differently).</summary>
    protected virtual Task BeforeBuildAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            // Null when the start was refused (e.g. a misread counter.json): only the folder to remove.
            await App.DisposeAsync();
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

    /// <summary>The counter's services as the web part uses them.</summary>
    internal Jpki.Server.Counter.CounterWeb Web => App.Services.GetRequiredService<Jpki.Server.Counter.CounterWeb>();

    /// <summary>The path of resident <paramref name="id"/>'s card file.</summary>
    public string CardPath(string id) => Path.Combine(DataDirectory, "cards", id + ".jpkicard");

    /// <summary>
    /// Registers resident <paramref name="id"/> (born 1980-02-17) with a delivered card file; returns the card slot id.
    /// <paramref name="withCardPin"/> false: the card as <c>jpki card new</c> makes it, with no card PIN yet.
    /// </summary>
    public async Task<string> AddResidentWithCardAsync(string id, string name = "山田　太郎", string address = "東京都千代田区千代田１－１", bool withCardPin = true, string? nextGenerationPuk = null)
    {
        await Store.AddResidentsAsync([new Resident(id, name, "ヤマダ　タロウ", address, new DateOnly(1980, 2, 17), Sex.Male, false, "H-" + id)], default);
        var number = "OJT" + id.PadLeft(13, '0');
        await Store.SaveCardAsync(new ResidentCard(number, id, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), default);
        var path = Path.Combine(DataDirectory, "cards", id + ".jpkicard");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = CardManagementKey.Derive(CardMasterKey.Development(), number);
        var spec = new VirtualCardSpec(number, id, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)) { Profile = nextGenerationPuk is null ? null : Jpki.Card.Profiles.CardProfile.NextGeneration };
        using (var card = VirtualCard.Create(path, spec, key))
        {
            using var transport = new InProcessTransport(card);
            var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, number);
            if (withCardPin)
            {
                issuer.SetPin(PinKind.CardPin, CardPin);
            }

            if (nextGenerationPuk is not null)
            {
                // A next-generation card (its PUK set as J-LIS would when making it) whose signature password is blocked.
                issuer.SetPin(PinKind.SignaturePassword, "ABC123");
                var client = new JpkiCardClient(transport);
                issuer.SetPuk(nextGenerationPuk);
                for (var i = 0; i < 5; i++)
                {
                    client.Verify(PinKind.SignaturePassword, "WRONG9");
                }
            }
        }

        return "file:" + id + ".jpkicard";
    }

    /// <summary>
    /// Signs <paramref name="client"/> in as <c>admin</c> of a <c>jpki serve</c> process on <paramref name="dataDirectory"/>
    /// with the first-start password, changes it to <paramref name="newPassword"/> as required, and signs in again.
    /// </summary>
    public static async Task SignInAsInitialAdminAsync(StaffClient client, string dataDirectory, string newPassword)
    {
        var initial = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "initial-admin-password"))).Trim();
        await client.RefreshCsrfAsync();
        using (var login = await client.Http.PostAsJsonAsync("/api/counter/session", new { id = "admin", password = initial }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        await client.RefreshCsrfAsync();
        using (var change = await client.Http.PostAsync(new Uri("/staff/password", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["current"] = initial, ["new"] = newPassword, ["confirm"] = newPassword })))
        {
            Assert.True(change.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.OK, $"{(int)change.StatusCode} {await change.Content.ReadAsStringAsync()}");
        }

        using (var login = await client.Http.PostAsJsonAsync("/api/counter/session", new { id = "admin", password = newPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        await client.RefreshCsrfAsync();
    }

    /// <summary>An HTTP client with its own cookies; signed in as <paramref name="id"/> when given, CSRF header set.</summary>
    public async Task<StaffClient> ClientAsync(string? id = "clerk1")
    {
        var client = new StaffClient(BaseAddress);
        await client.RefreshCsrfAsync();
        if (id is not null)
        {
            using var login = await client.Http.PostAsJsonAsync("/api/counter/session", new { id, password = id == "super1" ? SupervisorPassword : ClerkPassword });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            await client.RefreshCsrfAsync();
        }

        return client;
    }

    /// <summary>A cookie-keeping client; <see cref="RefreshCsrfAsync"/> puts the current token in the default headers.</summary>
    public sealed class StaffClient : IDisposable
    {
        public StaffClient(Uri baseAddress)
        {
            Handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            Http = new HttpClient(Handler) { BaseAddress = baseAddress };
        }

        public HttpClientHandler Handler { get; }

        public HttpClient Http { get; }

        public async Task RefreshCsrfAsync()
        {
            var token = await Http.GetFromJsonAsync<JsonElement>("/api/counter/csrf");
            Http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
            Http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token.GetProperty("token").GetString());
        }

        public void WithoutCsrf() => Http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");

        /// <summary>The hidden fields of the POST form to <paramref name="action"/> on page <paramref name="path"/> (CSRF and one-time form token), ready to post.</summary>
        public async Task<Dictionary<string, string>> FormAsync(string path, string action)
        {
            var html = await Http.GetStringAsync(new Uri(path, UriKind.Relative));
            var form = html[html.IndexOf($"<form method=\"post\" action=\"{action}\"", StringComparison.Ordinal)..];
            form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
            return Hidden().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        }

        public Task<HttpResponseMessage> PostCsvAsync(string path, string csv)
        {
            var content = new StringContent(csv);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            return Http.PostAsync(new Uri(path, UriKind.Relative), content);
        }

        public void Dispose()
        {
            Http.Dispose();
            Handler.Dispose();
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex Hidden();
}
