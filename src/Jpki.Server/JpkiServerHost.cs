using Jpki.Core.Storage;
using Jpki.Server.Counter;
using Jpki.Server.Errors;
using Jpki.OnlineApplication;
using Jpki.Server.Staff;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jpki.Server;

/// <summary>Builds the OpenJpki web application.</summary>
public static partial class JpkiServerHost
{
    /// <summary>
    /// Builds the application on <paramref name="options"/>, creating the data folder. <paramref name="clock"/>
    /// is the only source of time for everything the server does.
    /// </summary>
    public static WebApplication Build(JpkiServerOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ServerTelemetry.ThrowIfInvalid(options);
        if (options.Role == ServerRole.Counter)
        {
            return BuildCounter(options, clock);
        }

        if (options.AuthorityUrl is not null)
        {
            throw new ArgumentException("An authority URL is for the counter role only (--role counter).", nameof(options));
        }

        if (!options.Authority)
        {
            return Build(options, clock, authority: null);
        }

        PrivateFiles.CreateFolder(options.DataDirectory);

        // Startup is synchronous here; opening SQLite and two key files is quick and happens once.
        var runtime = AuthorityStartup.OpenOrInitializeAsync(options, clock, CancellationToken.None).GetAwaiter().GetResult();
        var app = Build(options, clock, runtime);
        app.Services.GetRequiredService<OwnedAuthority>();
        return app;
    }

    /// <summary>
    /// Builds the application with an already opened <paramref name="authority"/> (serving <c>/ca</c>, <c>/crl</c>,
    /// <c>/ocsp</c>); the caller keeps ownership of it. Without one, no authority endpoints are mapped.
    /// </summary>
    public static WebApplication Build(JpkiServerOptions options, TimeProvider clock, Jpki.Authority.Ca.AuthorityRuntime? authority)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        // With an authority the counter runs too (docs/counter.md), unless this process is the authority only: its runtime
        // shares the authority and goes with the application.
        var runtime = authority is null || options.Role == ServerRole.Authority ? null : CounterHosting.OpenRuntime(options, clock, authority);
        return Build(options, clock, authority, runtime is null ? null : CounterHosting.FromRuntime(runtime), runtime);
    }

    /// <summary>
    /// The counter role: the counter runtime of the data folder over the remote authority's API
    /// (<see cref="HttpCertificateIssuer"/>, which retries a lost answer under the same request id). Nothing of an
    /// authority is opened here, even if the folder holds one.
    /// </summary>
    private static WebApplication BuildCounter(JpkiServerOptions options, TimeProvider clock)
    {
        if (options.AuthorityUrl is not { } url || !url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The counter role needs the authority's http(s) address (--authority URL).", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.RegistrationAuthorityKey))
        {
            throw new ArgumentException("The counter role needs a registration-authority key the authority accepts (--ra-key-file or $JPKI_RA_KEY).", nameof(options));
        }

        if (options.CardMasterKeyFile is null)
        {
            throw new ArgumentException("The counter role needs the card-management master key file (--card-master-key-file or $JPKI_CARD_MASTER_KEY_FILE); it never uses the public development key.", nameof(options));
        }

        PrivateFiles.CreateFolder(options.DataDirectory);
        var http = new HttpClient { BaseAddress = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var issuer = new Municipality.Issuance.HttpCertificateIssuer(http, options.RegistrationAuthorityKey, new Municipality.Issuance.HttpCertificateIssuerOptions { TimeProvider = clock });
            var runtime = Municipality.Hosting.CounterRuntime.OpenAsync(CounterHosting.RuntimeOptions(options), clock, issuer, CancellationToken.None).GetAwaiter().GetResult();
            var app = Build(options, clock, authority: null, CounterHosting.FromRuntime(runtime), runtime);
            app.Lifetime.ApplicationStopped.Register(http.Dispose);
            return app;
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>As above, with the counter's services for the counter API and pages (null: staff pages only).</summary>
    internal static WebApplication Build(JpkiServerOptions options, TimeProvider clock, Jpki.Authority.Ca.AuthorityRuntime? authority, CounterWeb? counter, Jpki.Municipality.Hosting.CounterRuntime? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        // Keys, residents and My Numbers live below: no other account on the machine may enter (docs/security.md, "Files").
        var tightened = PrivateFiles.SecureDataFolder(options.DataDirectory);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.UseJpkiTls(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
            kestrel.Limits.KeepAliveTimeout = options.IdleConnectionTimeout;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        });
        var trustedProxies = ForwardedFromProxies.Configure(builder.Services, options.TrustedProxies);
        var allowedHosts = HostNames.Allowed(options);
        if (allowedHosts.Count > 0)
        {
            builder.Services.AddHostFiltering(filtering =>
            {
                filtering.AllowedHosts = [.. allowedHosts];
                filtering.AllowEmptyHosts = false;
                filtering.IncludeFailureMessage = false;
            });
        }

        // Per-request framework logs (two lines per request at Information) cost more than an OCSP answer from cache.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
        // Before the hosted services that publish CRLs: the meters listen from the first publication on.
        builder.AddJpkiTelemetry(options);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<PendingRevocationWorker>();
        builder.Services.AddSingleton(new Errors.DependencyHealth(authority));
        if (authority is not null)
        {
            // Created through a factory so that the container disposes it with the application.
            builder.Services.AddSingleton(_ => new OwnedAuthority(authority));
            builder.Services.AddHostedService(services => new RevocationPublicationService(authority, services.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddOnlineApplication(options.DataDirectory, InProcessAuthorityHandler.OnlineApplicationTrust(authority));
            Oidc.OidcHosting.AddOidcProvider(builder.Services, options, authority, clock);
        }

        builder.AddCounterWeb(options, counter, runtime);
        builder.Services.AddBadRequestHandling();
        // One error shape: every problem written through ASP.NET Core gets its stable code and type (Errors/Problems.cs, docs/errors.md).
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Errors.Problems.Customize);
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // The runtimes were opened before the host's logging existed: from now on they log through it.
        runtime?.UseLogging(app.Services.GetRequiredService<ILoggerFactory>());
        authority?.UseLogging(app.Services.GetRequiredService<ILoggerFactory>());
        if (tightened)
        {
            DataFolderOpened(app.Logger, options.DataDirectory);
        }

        if (counter is { DevelopmentCardKey: true })
        {
            SandboxCardKey(app.Logger);
        }

        if (trustedProxies)
        {
            // First of all: every later step (host filtering, cookies, lockout per client) sees the client and scheme the proxy names.
            app.UseForwardedHeaders();
        }

        app.UseJpkiFront(allowedHosts.Count > 0);
        // Inside the front (host filtering, headers): a problem answered to a staff page becomes a Japanese page (never raw JSON to a clerk).
        Web.StaffPageProblems.UseStaffPageProblems(app);
        Errors.DependencyFailureHandling.UseDependencyFailureHandling(app);
        // Routing here, not first (where WebApplication would put it): the OCSP endpoints run straight from routing
        // (ShortCircuit, AuthorityEndpoints), and must still be behind the forwarded headers, host filtering, response
        // headers and the dependency-failure answer (503 tryLater while the database is down) — but ahead of the
        // middleware of pages and JSON APIs. The bad-request handling reads the endpoint's body limit, so it follows.
        app.UseRouting();
        app.UseBadRequestHandling();
        // A bare error status of an API (401 of an unauthenticated call, 404 of an unknown route, 405) gets the problem body too.
        app.UseStatusCodePages(Errors.Problems.WriteBareStatusAsync);
        app.MapCounterWeb(options);
        app.MapHealth();
        app.MapHome(authority is not null);
        app.MapPageAssets();
        if (authority is not null)
        {
            app.MapAuthority(authority);
            if (authority.Timestamps is { } tsa)
            {
                app.MapTsa(tsa);
            }

            AuthorityApi.AuthorityApiEndpoints.MapAuthorityApi(app, authority);
            app.MapOnlineApplication(StaffPolicies.Clerk, endpoint => endpoint.RequireCsrf());
            Oidc.OidcHosting.MapOidcProvider(app);
        }

        return app;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "SANDBOX MODE: the counter uses the PUBLIC development card-management key; cards and certificates issued here are for testing only. A real counter gives its key file (jpki serve --card-master-key-file FILE, $JPKI_CARD_MASTER_KEY_FILE).")]
    private static partial void SandboxCardKey(ILogger logger);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "The data folder {Folder} was open to other accounts on this machine; its mode is now 0700")]
    private static partial void DataFolderOpened(ILogger logger, string folder);
}
