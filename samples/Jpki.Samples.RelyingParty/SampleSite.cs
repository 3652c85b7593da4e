using System.Security.Claims;
using System.Security.Cryptography;
using Jpki.Verification.Login;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jpki.Samples.RelyingParty;

/// <summary>
/// The sample site. Configuration (appsettings.json, environment, command line):
/// <c>Oidc:Authority</c> (jpki serve's issuer, e.g. http://127.0.0.1:8080/oidc/), <c>Oidc:ClientId</c>,
/// <c>Oidc:KeyFile</c> (the client's private key for private_key_jwt; created with its JWKS beside it on first start),
/// <c>Oidc:RequireHttpsMetadata</c>; <c>JpkiVerification</c> for the card page (docs/login.md).
/// </summary>
public static class SampleSite
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var oidc = builder.Configuration.GetSection("Oidc");
        var clientKey = ClientKey.LoadOrCreate(oidc["KeyFile"] ?? "client-key.pem");

        // 1. "Log in with the My Number card" through any OpenID Connect provider: the stock handler against jpki serve's /oidc.
        builder.Services.AddAuthentication(o => { o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme; o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme; })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = oidc["Authority"];
                o.ClientId = oidc["ClientId"];
                o.RequireHttpsMetadata = oidc.GetValue("RequireHttpsMetadata", true);
                o.ResponseType = "code";                        // code flow; PKCE S256 is on by default
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.Events.OnAuthorizationCodeReceived = context => // private_key_jwt (RFC 7523) instead of a shared secret
                {
                    context.TokenEndpointRequest!.ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
                    context.TokenEndpointRequest.ClientAssertion = clientKey.Assertion(context.Options.ClientId!, context.Options.Authority!);
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();

        // 2. The card directly: OpenJpki.Verification's origin-bound login, options from the JpkiVerification section.
        builder.Services.AddJpkiVerification(builder.Configuration.GetSection("JpkiVerification"));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", () => Results.Content(Pages.Home, "text/html; charset=utf-8"));
        app.MapGet("/account", (ClaimsPrincipal user) => Results.Content(Pages.Account(user), "text/html; charset=utf-8")).RequireAuthorization();
        app.MapGet("/logout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/card", (IConfiguration configuration) => Results.Content(Pages.Card(configuration["JpkiScript"] ?? "/js/jpki-login.js", configuration["JpkiHelper"] ?? "http://127.0.0.1:61001"), "text/html; charset=utf-8"));
        CardLoginEndpoints.Map(app);
        return app;
    }

    /// <summary>The client's key pair for private_key_jwt: a PEM file, and its public JWKS beside it for <c>jpki oidc client add --jwks</c>.</summary>
    private sealed class ClientKey(RSA key, string keyId)
    {
        public static ClientKey LoadOrCreate(string path)
        {
            var rsa = RSA.Create(2048);
            if (File.Exists(path))
            {
                rsa.ImportFromPem(File.ReadAllText(path));
            }
            else
            {
                File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            }

            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));
            var keyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
            File.WriteAllText(Path.ChangeExtension(path, ".jwks.json"), $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{keyId}}","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""");
            return new ClientKey(rsa, keyId);
        }

        public string Assertion(string clientId, string audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(2),
            TokenType = "client-authentication+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
    }
}
