using Jpki.Authority.Ca;
using Jpki.Oidc;
using Jpki.Verification;
using Jpki.Verification.Login;
using Jpki.Verification.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jpki.Server.Oidc;

/// <summary>
/// Puts the OpenID Connect provider (<c>Jpki.Oidc</c>) into <c>jpki serve</c> at <c>/oidc</c>: the provider is a relying
/// party of the authority like any other; this host gives it a verifier over the authority's two CAs with in-process
/// OCSP/CRL and the authority's linkage service, and maps its routes.
/// </summary>
internal static class OidcHosting
{
    /// <summary>
    /// A PostgreSQL connection string: the login nonces go to the table <c>jpki_login_challenges</c> there instead of this
    /// process's memory, so that several <c>jpki serve</c> processes behind one load balancer take each nonce exactly once
    /// wherever it was issued (docs/login.md). Unset: in memory (one provider process).
    /// </summary>
    public const string NoncesPostgresVariable = "JPKI_LOGIN_POSTGRES";

    /// <summary>The issuer: <see cref="JpkiServerOptions.PublicUrl"/>, else the first address listened on, + <c>oidc/</c>; null when unknown (port 0).</summary>
    public static Uri? IssuerOf(JpkiServerOptions options)
    {
        var publicUrl = options.PublicUrl
            ?? options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : null)
                .FirstOrDefault(u => u is not null && u.Port != 0 && u.Host is not ("0.0.0.0" or "[::]" or "*" or "+"));
        if (publicUrl is null)
        {
            return null;
        }

        var baseUri = publicUrl.AbsoluteUri.EndsWith('/') ? publicUrl : new Uri(publicUrl.AbsoluteUri + "/");
        return new Uri(baseUri, "oidc/");
    }

    public static IServiceCollection AddOidcProvider(this IServiceCollection services, JpkiServerOptions options, AuthorityRuntime authority, TimeProvider clock)
    {
        if (IssuerOf(options) is not { } issuer)
        {
            return services;
        }

        if (Environment.GetEnvironmentVariable(NoncesPostgresVariable) is { Length: > 0 } connectionString)
        {
            var dataSource = OpenNonceStore(connectionString);
            // Through a factory (resolved in MapOidcProvider) so that the container disposes it with the application.
            services.AddSingleton(_ => new OwnedDataSource(dataSource));
            services.AddSingleton<IChallengeStore>(new PostgresChallengeStore(dataSource));
        }

        var http = new HttpClient(new InProcessAuthorityHandler(authority));
        services.AddSingleton(_ => new OwnedHttpClient(http));
        services.AddSingleton(sp => InProcessAuthorityHandler.CreateVerifier(authority, clock, http, sp.GetService<Microsoft.Extensions.Logging.ILogger<Jpki.Verification.JpkiVerifier>>()));
        services.AddSingleton<ICertificateLinkage>(new AuthorityLinkage(authority));
        var provider = new OidcProviderOptions { Issuer = issuer, DataDirectory = Path.Combine(options.DataDirectory, "oidc") };
        services.AddJpkiOidc(options.LoginHelperUrl is { } helper ? provider with { HelperAddress = helper } : provider, clock);
        return services;
    }

    public static WebApplication MapOidcProvider(this WebApplication app)
    {
        if (app.Services.GetService<OidcProviderOptions>() is not null)
        {
            app.Services.GetService<OwnedHttpClient>();
            app.Services.GetService<OwnedDataSource>();
            app.MapJpkiOidc();
        }

        return app;
    }

    /// <summary>
    /// Opens the nonce store and creates its table (idempotent). Startup is synchronous, like the authority's. Neither
    /// error names the connection string: it may hold a password.
    /// </summary>
    private static NpgsqlDataSource OpenNonceStore(string connectionString)
    {
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{NoncesPostgresVariable} is not a PostgreSQL connection string ({e.GetType().Name}).");
        }

        try
        {
            new PostgresChallengeStore(dataSource).MigrateAsync().GetAwaiter().GetResult();
            return dataSource;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            dataSource.Dispose();
            throw new IOException($"the login nonce store ({NoncesPostgresVariable}) cannot be opened on PostgreSQL: {e.Message}", e);
        }
    }

    /// <summary>Disposes the nonce store's data source with the application.</summary>
    private sealed class OwnedDataSource(NpgsqlDataSource dataSource) : IDisposable
    {
        public void Dispose() => dataSource.Dispose();
    }

    /// <summary>Disposes the verifier's in-process HttpClient with the application.</summary>
    private sealed class OwnedHttpClient(HttpClient http) : IDisposable
    {
        public void Dispose() => http.Dispose();
    }
}
