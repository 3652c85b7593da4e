using System.Net;
using System.Net.Sockets;
using Jpki.Authority.Ca;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli;
using Jpki.Cli.Commands.SignHelper;
using Jpki.Oidc;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// <c>jpki serve</c> with its OpenID Connect provider on a free loopback port (the issuer needs the port up front), a
/// FakeTimeProvider, a citizen card issued by its authority, and the citizen's <c>jpki sign-helper</c> whose console
/// is fed the PIN and password lines.
/// </summary>
internal sealed class OidcTestServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    private readonly List<SignHelperServer> _helpers = [];

    private OidcTestServer(string data, int port, FakeTimeProvider clock, string profile)
    {
        Data = data;
        Port = port;
        Clock = clock;
        Profile = profile;
    }

    /// <summary>The authority's CA profile: <c>jpki</c> (RSA-2048, the default) or <c>nextgen</c> (ECDSA P-384) — and so the citizens' cards.</summary>
    public string Profile { get; }

    public string Data { get; }

    public int Port { get; }

    public FakeTimeProvider Clock { get; }

    public WebApplication App { get; private set; } = null!;

    /// <summary>Every event the server logged (the host's logging, so at its levels: Information and up for our libraries).</summary>
    public Jpki.Testing.CollectingLoggerProvider Logs { get; } = new();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Issuer => BaseUrl + "/oidc/";

    public AuthorityRuntime Authority => App.Services.GetRequiredService<OwnedAuthority>().Runtime;

    /// <summary>The port the login page expects the helper on (see <see cref="StartHelperAsync"/>).</summary>
    public int HelperPort { get; } = FreePort();

    /// <summary>
    /// Starts the server on a fresh data folder. With <paramref name="profile"/> <c>nextgen</c> the folder's authority is
    /// initialised first as <c>jpki serve</c> would (test names, open signature revocation data, a terminal key) but with
    /// the next-generation CA profile, as an operator does with <c>jpki authority init --profile nextgen</c> before serving.
    /// </summary>
    public static async Task<OidcTestServer> StartAsync(FakeTimeProvider? clock = null, string profile = AuthoritySettings.ProfileJpki)
    {
        var server = new OidcTestServer(Path.Combine(Path.GetTempPath(), "jpki-oidc-test-" + Guid.NewGuid().ToString("N")), FreePort(), clock ?? new FakeTimeProvider(Start), profile);
        if (profile != AuthoritySettings.ProfileJpki)
        {
            Directory.CreateDirectory(server.Data);
            await AuthorityFolder.InitializeAsync(
                server.Data,
                new AuthoritySettings
                {
                    TestNames = true, PublicBaseUrl = server.BaseUrl, OpenSignatureRevocationData = true,
                    RegistrationAuthorityKeys = [RegistrationAuthorityKeyFile.ReadOrCreate(server.Data)], Profile = profile,
                },
                server.Clock,
                "test",
                CancellationToken.None);
        }

        await server.StartAppAsync();
        return server;
    }

    /// <summary>Stops the server and starts it again on the same data folder and port (a restart).</summary>
    public async Task RestartAsync()
    {
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        App = JpkiServerHost.Build(
            new JpkiServerOptions
            {
                DataDirectory = Data,
                Urls = BaseUrl,
                LoginHelperUrl = new Uri($"http://127.0.0.1:{HelperPort}"),
                ConfigureServices = services =>
                {
                    TestStaffAuthentication.Register(services);
                    services.AddLogging(logging => logging.AddProvider(Logs));
                },
            },
            Clock);
        await App.StartAsync();
    }

    public async Task<(string ClientId, string? Secret)> AddClientAsync(string redirectUri, bool basic4 = false, string? clientId = null, string? jwks = null, string alg = "RS256", string name = "テスト市 子育て支援サービス")
    {
        await using var registry = OidcClientRegistry.Open(Path.Combine(Data, "oidc"));
        return await registry.AddAsync(new OidcClientRegistration
        {
            ClientId = clientId,
            DisplayName = name,
            RedirectUris = [new Uri(redirectUri)],
            PostLogoutRedirectUris = [new Uri(redirectUri + "/logged-out")],
            AllowBasic4 = basic4,
            JsonWebKeySet = jwks,
            IdTokenAlgorithm = alg,
        });
    }

    public Task<CitizenCard> IssueCardAsync(string number) => CitizenCard.IssueAsync(
        Authority, Data, number, EApplicationServer.Hanako, profile: Profile == AuthoritySettings.ProfileNextGeneration ? Jpki.Card.Profiles.CardProfile.NextGeneration : null);

    /// <summary>
    /// Starts the citizen's helper for <paramref name="origins"/> (default: this server), its console fed <paramref name="typed"/>
    /// lines, on a free port — or on <see cref="HelperPort"/>, where the login page looks for it, with <paramref name="onPagePort"/>.
    /// </summary>
    public async Task<(SignHelperServer Helper, StringWriter Console)> StartHelperAsync(CitizenCard card, string typed, string[]? origins = null, bool onPagePort = false)
    {
        origins ??= [];
        var console = new StringWriter();
        var context = new CliContext(console, console, Clock) { Stdin = new StringReader(typed) };
        var helper = new SignHelperServer(
            new SignHelperOptions(onPagePort ? HelperPort : 0, origins.Length > 0 ? origins : [BaseUrl]),
            () => (new InProcessTransport(VirtualCard.Open(card.Path), "card", ownsCard: true), null),
            new ConsolePasswordPrompt(context),
            console,
            Clock);
        await helper.StartAsync(CancellationToken.None);
        _helpers.Add(helper);
        return (helper, console);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var helper in _helpers)
        {
            await helper.DisposeAsync();
        }

        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data, recursive: true);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
