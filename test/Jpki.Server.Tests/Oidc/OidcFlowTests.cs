using System.Net;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Card.Profiles;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// The OpenID Connect provider of <c>jpki serve</c> end to end over HTTP with a card behind the citizen's helper:
/// the code flow with PKCE, ID tokens checked against the JWKS, pairwise subjects, the basic 4 info on consent,
/// private_key_jwt, ES256, key rotation across a restart. The card login, renewal and basic 4 flows run with both card
/// profiles: today's RSA-2048 card (RS256 login tokens) and the next-generation P-384 card under a nextgen authority (ES384).
/// </summary>
public sealed class OidcFlowTests(OidcServerFixture fixture) : IClassFixture<OidcServerFixture>
{
    internal const string Redirect = "http://127.0.0.1:9/callback";

    private readonly OidcTestServer _server = fixture.Server;
    private readonly CitizenCard _card = fixture.Card;

    internal static async Task<JsonWebToken> ValidateIdTokenAsync(OidcTestServer server, string idToken, string clientId, string nonce = "n0nce")
    {
        using var http = new HttpClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync(server.Issuer + "jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = server.Issuer,
            ValidAudience = clientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidateLifetime = false, // the server's clock is a FakeTimeProvider; exp is checked against it below
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal(nonce, token.GetClaim("nonce").Value);
        Assert.True(token.ValidTo > server.Clock.GetUtcNow().UtcDateTime);
        return token;
    }

    [Theory]
    [InlineData(AuthoritySettings.ProfileJpki)]
    [InlineData(AuthoritySettings.ProfileNextGeneration)]
    public async Task CodeFlow_CardLogin_IdTokenSignedRs256WithPairwiseSubject(string profile)
    {
        var (server, card) = await fixture.ForProfileAsync(profile);
        var (clientId, secret) = await server.AddClientAsync(Redirect);
        var (helper, console) = await server.StartHelperAsync(card, CitizenCard.AuthPin + "\n");
        using var browser = new OidcBrowserlessClient(server);

        var callback = await browser.LoginAsync(helper.Address, clientId, Redirect);
        Assert.Equal("st4te", OidcBrowserlessClient.Query(callback, "state"));
        using var tokenResponse = await browser.TokenAsync(clientId, secret, OidcBrowserlessClient.Query(callback, "code"), Redirect);
        var tokens = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var idToken = await ValidateIdTokenAsync(server, tokens.GetProperty("id_token").GetString()!, clientId);
        Assert.Equal("RS256", idToken.Alg);
        Assert.Equal(43, idToken.Subject.Length);
        Assert.DoesNotContain(card.AuthSerialHex, idToken.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.False(idToken.TryGetClaim("name", out _));
        // The helper showed the origin it signed for on its own console; the page never saw the PIN.
        Assert.Contains(server.BaseUrl, console.ToString(), StringComparison.Ordinal);
        // The login token's algorithm follows the card's key: RS256 for the RSA card, ES384 for the P-384 one.
        Assert.Contains(profile == AuthoritySettings.ProfileNextGeneration ? "（ES384）" : "（RS256）", console.ToString(), StringComparison.Ordinal);
        using var userInfo = await browser.UserInfoAsync(tokens.GetProperty("access_token").GetString()!);
        var claims = JsonDocument.Parse(await userInfo.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(idToken.Subject, claims.GetProperty("sub").GetString());
        Assert.False(claims.TryGetProperty("name", out _));
    }

    [Fact]
    public async Task CodeFlow_TwoClients_UnrelatedSubjects_SameClientAgain_SameSubject()
    {
        var a = await _server.AddClientAsync(Redirect);
        var b = await _server.AddClientAsync(Redirect);
        var (helper, _) = await _server.StartHelperAsync(_card, CitizenCard.AuthPin + "\n" + CitizenCard.AuthPin + "\n" + CitizenCard.AuthPin + "\n");

        var subjectA = await SubjectAsync(helper.Address, a.ClientId, a.Secret);
        var subjectB = await SubjectAsync(helper.Address, b.ClientId, b.Secret);
        var subjectAAgain = await SubjectAsync(helper.Address, a.ClientId, a.Secret);

        Assert.NotEqual(subjectA, subjectB);
        Assert.Equal(subjectA, subjectAAgain);
    }

    [Theory]
    [InlineData(AuthoritySettings.ProfileJpki)]
    [InlineData(AuthoritySettings.ProfileNextGeneration)]
    public async Task CodeFlow_AfterRenewal_SameSubject(string profile)
    {
        var (server, card) = await fixture.ForProfileAsync(profile);
        var client = await server.AddClientAsync(Redirect);
        var (helper, _) = await server.StartHelperAsync(card, CitizenCard.AuthPin + "\n");
        var before = await SubjectAsync(server, helper.Address, client.ClientId, client.Secret);

        // The counter renews the authentication certificate: new key pair on a new card, linked to the old serial.
        var renewed = await CitizenCard.IssueAsync(server.Authority, server.Data, "OIDC0002", EApplicationServer.Hanako, renewing: card, profile: server.Profile == AuthoritySettings.ProfileNextGeneration ? CardProfile.NextGeneration : null);
        var (renewedHelper, _) = await server.StartHelperAsync(renewed, CitizenCard.AuthPin + "\n");
        var after = await SubjectAsync(server, renewedHelper.Address, client.ClientId, client.Secret);

        Assert.NotEqual(card.AuthSerialHex, renewed.AuthSerialHex);
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData(AuthoritySettings.ProfileJpki)]
    [InlineData(AuthoritySettings.ProfileNextGeneration)]
    public async Task CodeFlow_Basic4WithConsentAndSignaturePassword_ClaimsInIdTokenAndUserInfo(string profile)
    {
        var (server, card) = await fixture.ForProfileAsync(profile);
        var (clientId, secret) = await server.AddClientAsync(Redirect, basic4: true);
        var (helper, console) = await server.StartHelperAsync(card, CitizenCard.AuthPin + "\n" + CitizenCard.SignPassword + "\n");
        using var browser = new OidcBrowserlessClient(server);
        using var first = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect, "openid jpki:basic4"));
        using (var login = await browser.CardLoginAsync(helper.Address))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using var consentPage = await browser.ContinueAsync(await first.Content.ReadAsStringAsync());
        var consent = await consentPage.Content.ReadAsStringAsync();
        Assert.Contains("テスト市 子育て支援サービス", consent, StringComparison.Ordinal);
        foreach (var item in new[] { "氏名", "住所", "生年月日", "性別" })
        {
            Assert.Contains($"<li>{item}</li>", consent, StringComparison.Ordinal);
        }

        var token = await browser.HelperTokenAsync(helper.Address, await browser.NonceAsync("/oidc/consent/nonce"), "sign");
        using (var agreed = await browser.PostFromPageAsync($"/oidc/consent/card?client_id={clientId}", token))
        {
            Assert.True(agreed.StatusCode == HttpStatusCode.OK, await agreed.Content.ReadAsStringAsync());
        }

        using var redirect = await browser.ContinueAsync(consent);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        using var tokenResponse = await browser.TokenAsync(clientId, secret, OidcBrowserlessClient.Query(redirect.Headers.Location!, "code"), Redirect);
        var tokens = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement;
        var idToken = await ValidateIdTokenAsync(server, tokens.GetProperty("id_token").GetString()!, clientId);

        Assert.Equal(EApplicationServer.Hanako.Name, idToken.GetClaim("name").Value);
        Assert.Equal("1990-02-28", idToken.GetClaim("birthdate").Value);
        Assert.Equal("female", idToken.GetClaim("gender").Value);
        using var userInfo = await browser.UserInfoAsync(tokens.GetProperty("access_token").GetString()!);
        var claims = JsonDocument.Parse(await userInfo.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(EApplicationServer.Hanako.Address, claims.GetProperty("address").GetProperty("formatted").GetString());
        Assert.Contains("基本4情報", console.ToString(), StringComparison.Ordinal);
        Assert.Contains(profile == AuthoritySettings.ProfileNextGeneration ? "（ES384）" : "（RS256）", console.ToString(), StringComparison.Ordinal);

        // A forged login token is refused by its code.
        using (var forged = await browser.PostFromPageAsync("/oidc/login/card", "not-a-token"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        // The provider's events (6301–6304): the card steps by name or refusal code, the authorization by client id only —
        // never the basic 4 info it handed out, the pairwise subject, the code or a token.
        var events = server.Logs.Events.Where(e => e.Id is >= 6300 and < 6400).ToList();
        Assert.Contains(events, e => e.Id == 6301 && e.Values["Step"] == "login");
        Assert.Contains(events, e => e.Id == 6301 && e.Values["Step"] == "consent");
        Assert.Contains(events, e => e.Id == 6302 && (e.Values["Step"], e.Values["Code"]) == ("login", "malformed"));
        var given = Assert.Single(events, e => e.Id == 6303 && e.Values["ClientId"] == clientId);
        Assert.Equal(("Jpki.Oidc", Microsoft.Extensions.Logging.LogLevel.Information), (given.Category, given.Level));
        Assert.Contains("jpki:basic4", given.Values["Scopes"], StringComparison.Ordinal);
        string[] personal =
        [
            "電子", "花子", "永田町", "1990-02-28", "19900228", idToken.Subject, OidcBrowserlessClient.Query(redirect.Headers.Location!, "code"),
            tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("id_token").GetString()!,
        ];
        var leaks = events.SelectMany(e => personal.Where(p => e.AllText.Contains(p, StringComparison.Ordinal)).Select(p => $"{p} in event {e.Id}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    [Fact]
    public async Task CodeFlow_PrivateKeyJwtClientAndEs256_Accepted()
    {
        using var clientKey = System.Security.Cryptography.RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(clientKey.ExportParameters(false)) { KeyId = "client-key-1" });
        var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, n = jwk.N, e = jwk.E, use = "sig", alg = "RS256" } } });
        var (clientId, secret) = await _server.AddClientAsync(Redirect, jwks: jwks, alg: "ES256");
        Assert.Null(secret);
        var (helper, _) = await _server.StartHelperAsync(_card, CitizenCard.AuthPin + "\n");
        using var browser = new OidcBrowserlessClient(_server);
        var callback = await browser.LoginAsync(helper.Address, clientId, Redirect);

        var now = _server.Clock.GetUtcNow().UtcDateTime;
        var assertion = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = _server.Issuer,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(2),
            TokenType = "client-authentication+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(clientKey) { KeyId = "client-key-1" }, SecurityAlgorithms.RsaSha256),
        });
        using var response = await browser.TokenAsync(clientId, null, OidcBrowserlessClient.Query(callback, "code"), Redirect, extra:
        [
            new("client_id", clientId),
            new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            new("client_assertion", assertion),
        ]);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var idToken = await ValidateIdTokenAsync(_server, JsonDocument.Parse(body).RootElement.GetProperty("id_token").GetString()!, clientId);
        Assert.Equal("ES256", idToken.Alg);
    }

    /// <summary>
    /// ID tokens get no row in oidc.db (IdTokenEntries, for /oidc/token's speed): the one place one comes back, the
    /// id_token_hint of RP-initiated logout, still works; a post_logout_redirect_uri not registered is still refused.
    /// </summary>
    [Fact]
    public async Task Logout_WithIdTokenHint_RedirectsToRegisteredUriOnly()
    {
        var (clientId, secret) = await _server.AddClientAsync(Redirect);
        var (helper, _) = await _server.StartHelperAsync(_card, CitizenCard.AuthPin + "\n");
        using var browser = new OidcBrowserlessClient(_server);
        var idToken = (await TokensAsync(browser, helper.Address, clientId, secret)).GetProperty("id_token").GetString()!;
        string LogoutUrl(string target) => $"/oidc/logout?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString(target)}&state=bye";

        using var refused = await browser.GetAsync(LogoutUrl("https://evil.example/logged-out"));
        using var loggedOut = await browser.GetAsync(LogoutUrl(Redirect + "/logged-out"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.StartsWith(Redirect + "/logged-out?", loggedOut.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("bye", OidcBrowserlessClient.Query(loggedOut.Headers.Location!, "state"));
    }

    [Fact]
    public async Task Discovery_AdvertisesWhatTheProviderDoes()
    {
        using var http = new HttpClient();
        var metadata = JsonDocument.Parse(await http.GetStringAsync(_server.Issuer + ".well-known/openid-configuration")).RootElement;

        Assert.Equal(_server.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal(["S256"], metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["client_secret_basic", "private_key_jwt"], metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["pairwise"], metadata.GetProperty("subject_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("jpki:basic4", metadata.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["RS256", "ES256"], metadata.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(_server.Issuer + "jwks", metadata.GetProperty("jwks_uri").GetString());
    }

    private Task<string> SubjectAsync(Uri helper, string clientId, string? secret) => SubjectAsync(_server, helper, clientId, secret);

    private static async Task<string> SubjectAsync(OidcTestServer server, Uri helper, string clientId, string? secret)
    {
        using var browser = new OidcBrowserlessClient(server);
        var tokens = await TokensAsync(browser, helper, clientId, secret);
        return new JsonWebToken(tokens.GetProperty("id_token").GetString()!).Subject;
    }

    internal static async Task<JsonElement> TokensAsync(OidcBrowserlessClient browser, Uri helper, string clientId, string? secret)
    {
        var callback = await browser.LoginAsync(helper, clientId, Redirect);
        using var response = await browser.TokenAsync(clientId, secret, OidcBrowserlessClient.Query(callback, "code"), Redirect);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
