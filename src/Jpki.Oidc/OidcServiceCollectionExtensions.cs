using Jpki.Core.Storage;
using Jpki.Verification.Login;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jpki.Oidc;

/// <summary>Registers the OpenID Connect provider.</summary>
public static class OidcServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider on OpenIddict (server + EF Core stores on SQLite in <see cref="OidcProviderOptions.DataDirectory"/>):
    /// authorization code flow with PKCE S256 only, client_secret_basic and private_key_jwt, pairwise subjects,
    /// scopes <c>openid</c> and <c>jpki:basic4</c>, the keys of <see cref="OidcKeyRing"/>. The host registers a
    /// <see cref="Jpki.Verification.JpkiVerifier"/> that trusts the authentication and signature CAs and checks
    /// revocation, and an <see cref="ICertificateLinkage"/> (the authority's), and maps <see cref="OidcEndpoints.MapJpkiOidc"/>.
    /// </summary>
    public static IServiceCollection AddJpkiOidc(this IServiceCollection services, OidcProviderOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        PrivateFiles.CreateFolder(options.DataDirectory);
        var keys = OidcKeyRing.OpenOrCreate(options.KeyDirectory, clock);
        services.AddSingleton(options);
        services.AddSingleton(keys);
        services.AddSingleton(PairwiseSubjects.OpenOrCreate(Path.Combine(options.DataDirectory, "pairwise.key")));
        services.AddSingleton(sp => new ConsentGrants(clock));
        services.TryAddSingleton<IChallengeStore>(_ => new InMemoryChallengeStore());
        services.AddSingleton(sp => new CardLogin(
            options,
            sp.GetRequiredService<Jpki.Verification.JpkiVerifier>(),
            sp.GetRequiredService<IChallengeStore>(),
            clock,
            sp.GetService<ICertificateLinkage>(),
            sp.GetRequiredService<ILogger<LoginVerifier>>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Jpki.Oidc")));
        services.AddDbContext<OidcDbContext>(db => OidcDatabase.Configure(db, options.DataDirectory));

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<OidcDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(options.Issuer);
                // Relative endpoint URIs are resolved against the host's root, not the issuer: prefix the issuer's path.
                var root = options.BasePath.TrimStart('/') + "/";
                server.SetConfigurationEndpointUris(root + ".well-known/openid-configuration")
                    .SetJsonWebKeySetEndpointUris(root + "jwks")
                    .SetAuthorizationEndpointUris(root + "authorize")
                    .SetTokenEndpointUris(root + "token")
                    .SetUserInfoEndpointUris(root + "userinfo")
                    .SetEndSessionEndpointUris(root + "logout");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, JpkiScopes.Basic4);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.Address, Claims.Birthdate, Claims.Gender, Claims.AuthenticationTime, "amr");
                foreach (var key in keys.RsaSigningKeys.Concat(keys.EcSigningKeys))
                {
                    server.AddSigningKey(key.Key);
                }

                foreach (var key in keys.EncryptionKeys)
                {
                    server.AddEncryptionKey(key.Key);
                }

                // Access tokens are signed JWTs (only our userinfo reads them); codes stay encrypted.
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(options.TokenLifetime)
                    .SetIdentityTokenLifetime(options.TokenLifetime)
                    .SetAuthorizationCodeLifetime(options.CodeLifetime);
                server.Configure(o =>
                {
                    o.TimeProvider = clock;
                    o.CodeChallengeMethods.Clear();
                    o.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                    o.ClientAuthenticationMethods.Clear();
                    o.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.ClientSecretBasic);
                    o.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.PrivateKeyJwt);
                    o.SubjectTypes.Clear();
                    o.SubjectTypes.Add(SubjectTypes.Pairwise);
                });
                server.AddEventHandler(IdTokenAlgorithm.Descriptor);
                server.AddEventHandler(IdTokenAlgorithm.DiscoveryDescriptor);
                server.AddEventHandler(IdTokenEntries.Descriptor);
                server.AddEventHandler(IdTokenHintValidation.Descriptor);
                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (options.Issuer.Scheme == Uri.UriSchemeHttp)
                {
                    // Plain http only where the operator chose an http issuer (a loopback test deployment).
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        services.AddAuthentication().AddCookie(OidcDefaults.CookieScheme, cookie =>
        {
            cookie.Cookie.Name = "jpki_oidc_login";
            cookie.Cookie.Path = options.BasePath;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.TimeProvider = clock;
            cookie.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                },
            };
        });
        return services;
    }
}
