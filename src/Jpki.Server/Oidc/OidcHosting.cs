using Jpki.Authority.Ca;
using Jpki.Oidc;
using Jpki.Verification;
using Jpki.Verification.Login;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Oidc;

/// <summary>
/// Puts the OpenID Connect provider (<c>Jpki.Oidc</c>) into <c>jpki serve</c> at <c>/oidc</c>: the provider is a relying
/// party of the authority like any other; this host gives it a verifier over the authority's two CAs with in-process
/// OCSP/CRL and the authority's linkage service, and maps its routes.
/// </summary>
internal static class OidcHosting
{
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

        var verifier = InProcessAuthorityHandler.CreateVerifier(authority, clock, out var http);
        services.AddSingleton(new OwnedHttpClient(http));
        services.AddSingleton(verifier);
        services.AddSingleton<ICertificateLinkage>(new AuthorityLinkage(authority));
        var provider = new OidcProviderOptions { Issuer = issuer, DataDirectory = Path.Combine(options.DataDirectory, "oidc") };
        services.AddJpkiOidc(options.LoginHelperUrl is { } helper ? provider with { HelperAddress = helper } : provider, clock);
        return services;
    }

    public static WebApplication MapOidcProvider(this WebApplication app)
    {
        if (app.Services.GetService<OidcProviderOptions>() is not null)
        {
            app.MapJpkiOidc();
        }

        return app;
    }

    /// <summary>Disposes the verifier's in-process HttpClient with the application.</summary>
    private sealed class OwnedHttpClient(HttpClient http) : IDisposable
    {
        public void Dispose() => http.Dispose();
    }
}
