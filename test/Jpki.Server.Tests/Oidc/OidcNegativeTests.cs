using System.Net;
using System.Text.Json;
using Jpki.Server.Tests.OnlineApplication;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// Issue 16's negative suite against <c>jpki serve</c>: each thing the provider must refuse, one test each — replay of a
/// code, of a token, of a login nonce; wrong redirect URI; missing, wrong and <c>plain</c> PKCE; wrong origin; another
/// session's nonce; expired nonce; signature certificate at login; revoked certificate; consent refused; a client
/// asking jpki:basic4 without being allowed.
/// </summary>
[Trait("Category", "Security")]
public sealed class OidcNegativeTests(OidcServerFixture fixture) : IClassFixture<OidcServerFixture>, IAsyncLifetime
{
    private const string Redirect = "http://127.0.0.1:9/callback";

    private readonly OidcTestServer _server = fixture.Server;
    private CitizenCard _card = fixture.Card;
    private string _clientId = null!;
    private string? _secret;

    public async Task InitializeAsync() => (_clientId, _secret) = await _server.AddClientAsync(Redirect);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Uri> HelperAsync(string typed = CitizenCard.AuthPin + "\n", params string[] origins)
        => (await _server.StartHelperAsync(_card, typed, origins)).Helper.Address;

    private static async Task<string> CodeOfCardLogin(string body) => JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!;

    [Fact]
    public async Task Token_CodeRedeemedTwice_SecondRefusedAndFirstAccessTokenRevoked()
    {
        using var browser = new OidcBrowserlessClient(_server);
        var code = OidcBrowserlessClient.Query(await browser.LoginAsync(await HelperAsync(), _clientId, Redirect), "code");
        using var first = await browser.TokenAsync(_clientId, _secret, code, Redirect);
        var accessToken = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;

        using var replay = await browser.TokenAsync(_clientId, _secret, code, Redirect);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        // RFC 6749 §4.1.2: a replayed code revokes what it was exchanged for; the token is refused from now on.
        using var userInfo = await browser.UserInfoAsync(accessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
    }

    [Fact]
    public async Task UserInfo_AccessTokenAfterExpiry_Refused()
    {
        using var browser = new OidcBrowserlessClient(_server);
        var code = OidcBrowserlessClient.Query(await browser.LoginAsync(await HelperAsync(), _clientId, Redirect), "code");
        using var tokens = await browser.TokenAsync(_clientId, _secret, code, Redirect);
        var accessToken = JsonDocument.Parse(await tokens.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        using (var fresh = await browser.UserInfoAsync(accessToken))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        _server.Clock.Advance(TimeSpan.FromMinutes(11));
        using var replayed = await browser.UserInfoAsync(accessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task CardLogin_SameTokenPostedTwice_SecondRefused()
    {
        using var browser = new OidcBrowserlessClient(_server);
        using (await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect)))
        {
        }

        var token = await browser.HelperTokenAsync(await HelperAsync(), await browser.NonceAsync());
        using var first = await browser.PostFromPageAsync("/oidc/login/card", token);
        using var replay = await browser.PostFromPageAsync("/oidc/login/card", token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Equal("challenge-rejected", await CodeOfCardLogin(await replay.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/callback/")]
    [InlineData("http://127.0.0.1:9/Callback")]
    [InlineData("http://127.0.0.1:9/callback?x=1")]
    [InlineData("https://evil.example/callback")]
    public async Task Authorize_RedirectUriNotExactlyRegistered_RefusedWithoutRedirect(string redirect)
    {
        using var browser = new OidcBrowserlessClient(_server);
        using var response = await browser.GetAsync(browser.AuthorizeUrl(_clientId, redirect));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_NoCodeChallenge_Refused()
    {
        using var browser = new OidcBrowserlessClient(_server);
        using var response = await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect, method: ""));

        await AssertRefusedAsync(response, "error:invalid_request", "code_challenge");
    }

    [Fact]
    public async Task Authorize_PlainCodeChallenge_Refused()
    {
        using var browser = new OidcBrowserlessClient(_server);
        using var response = await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect, challenge: browser.Verifier, method: "plain"));

        await AssertRefusedAsync(response, "error:invalid_request", "'code_challenge_method' is not supported");
    }

    [Theory]
    [InlineData("")]
    [InlineData("wrong-verifier-wrong-verifier-wrong-verifier-1234")]
    public async Task Token_MissingOrWrongCodeVerifier_Refused(string verifier)
    {
        using var browser = new OidcBrowserlessClient(_server);
        var code = OidcBrowserlessClient.Query(await browser.LoginAsync(await HelperAsync(), _clientId, Redirect), "code");

        using var response = await browser.TokenAsync(_clientId, _secret, code, Redirect, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), new[] { "invalid_grant", "invalid_request" });
    }

    [Fact]
    public async Task Token_ClientSecretPost_Refused()
    {
        using var browser = new OidcBrowserlessClient(_server);
        var code = OidcBrowserlessClient.Query(await browser.LoginAsync(await HelperAsync(), _clientId, Redirect), "code");

        using var response = await browser.TokenAsync(_clientId, null, code, Redirect, extra: [new("client_id", _clientId), new("client_secret", _secret!)]);

        // Only client_secret_basic and private_key_jwt are offered: a secret in the body is refused (invalid_client).
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task CardLogin_SignedForAnotherOrigin_WrongOrigin()
    {
        const string phishing = "http://login.example.jp.evil.example";
        using var browser = new OidcBrowserlessClient(_server);
        using (await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect)))
        {
        }

        // A phishing page fetched our nonce (through its server) and had the citizen's helper sign it for its own origin.
        var relayed = await browser.HelperTokenAsync(await HelperAsync(CitizenCard.AuthPin + "\n", phishing), await browser.NonceAsync(), origin: phishing);
        using var response = await browser.PostFromPageAsync("/oidc/login/card", relayed);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("wrong-origin", await CodeOfCardLogin(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task CardLogin_FromAnotherOriginsPage_Refused()
    {
        using var browser = new OidcBrowserlessClient(_server);
        using var response = await browser.PostFromPageAsync("/oidc/login/nonce", "{}", origin: "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("cross-origin", await CodeOfCardLogin(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task CardLogin_NonceOfAnotherBrowserSession_WrongSession()
    {
        using var attacker = new OidcBrowserlessClient(_server);
        using var victim = new OidcBrowserlessClient(_server);
        using (await attacker.GetAsync(attacker.AuthorizeUrl(_clientId, Redirect)))
        using (await victim.GetAsync(victim.AuthorizeUrl(_clientId, Redirect)))
        {
        }

        var token = await victim.HelperTokenAsync(await HelperAsync(), await attacker.NonceAsync());
        using var response = await victim.PostFromPageAsync("/oidc/login/card", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("wrong-session", await CodeOfCardLogin(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task CardLogin_NonceOlderThan120Seconds_Expired()
    {
        using var browser = new OidcBrowserlessClient(_server);
        using (await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect)))
        {
        }

        var token = await browser.HelperTokenAsync(await HelperAsync(), await browser.NonceAsync());
        _server.Clock.Advance(TimeSpan.FromSeconds(121));
        using var response = await browser.PostFromPageAsync("/oidc/login/card", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("challenge-expired", await CodeOfCardLogin(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task CardLogin_SignatureCertificate_WrongKind()
    {
        using var browser = new OidcBrowserlessClient(_server);
        using (await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect)))
        {
        }

        var token = await browser.HelperTokenAsync(await HelperAsync(CitizenCard.SignPassword + "\n"), await browser.NonceAsync(), "sign");
        using var response = await browser.PostFromPageAsync("/oidc/login/card", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("wrong-kind", await CodeOfCardLogin(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task CardLogin_RevokedAuthenticationCertificate_Revoked()
    {
        _card = await _server.IssueCardAsync("OIDCREV1");
        var revoked = await _server.Authority.Authority.RevokeAsync(_card.AuthSerialHex, Jpki.Authority.Contracts.RevocationReason.KeyCompromise, null, "test", CancellationToken.None);
        Assert.Equal(Jpki.Authority.Contracts.RevokeResult.Revoked, revoked);
        using var browser = new OidcBrowserlessClient(_server);
        using (await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect)))
        {
        }

        using var response = await browser.CardLoginAsync(await HelperAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("revoked", await CodeOfCardLogin(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Authorize_ConsentRefused_AccessDeniedToTheClient()
    {
        var (clientId, _) = await _server.AddClientAsync(Redirect, basic4: true);
        using var browser = new OidcBrowserlessClient(_server);
        using var first = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect, "openid jpki:basic4"));
        using (var login = await browser.CardLoginAsync(await HelperAsync()))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using var consentPage = await browser.ContinueAsync(await first.Content.ReadAsStringAsync());
        var consent = await consentPage.Content.ReadAsStringAsync();
        Assert.Contains("同意しない", consent, StringComparison.Ordinal);

        using var refused = await browser.ContinueAsync(consent, ("jpki_consent", "refused"));

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("access_denied", OidcBrowserlessClient.Query(refused.Headers.Location!, "error"));
        Assert.Equal("st4te", OidcBrowserlessClient.Query(refused.Headers.Location!, "state"));
    }

    [Fact]
    public async Task Authorize_Basic4ByClientNotAllowedIt_RefusedBeforeLogin()
    {
        using var browser = new OidcBrowserlessClient(_server);
        using var response = await browser.GetAsync(browser.AuthorizeUrl(_clientId, Redirect, "openid jpki:basic4"));

        await AssertRefusedAsync(response, "error:invalid_request", "not allowed to use the specified scope");
    }

    [Fact]
    public async Task Consent_SignatureCertificateOfAnotherCitizen_Refused()
    {
        var (clientId, _) = await _server.AddClientAsync(Redirect, basic4: true);
        var other = await CitizenCard.IssueAsync(_server.Authority, _server.Data, "OIDCNEG2", EApplicationServer.Taro);
        using var browser = new OidcBrowserlessClient(_server);
        using (await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect, "openid jpki:basic4")))
        using (var login = await browser.CardLoginAsync(await HelperAsync()))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var otherHelper = (await _server.StartHelperAsync(other, CitizenCard.SignPassword + "\n")).Helper.Address;
        var token = await browser.HelperTokenAsync(otherHelper, await browser.NonceAsync("/oidc/consent/nonce"), "sign");
        using var response = await browser.PostFromPageAsync($"/oidc/consent/card?client_id={clientId}", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("other-card", await CodeOfCardLogin(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>OpenIddict answers an authorization request it refuses before the client is trusted with 400 and the error, never with a code.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string error, string description)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Null(response.Headers.Location);
        Assert.Contains(error, body, StringComparison.Ordinal);
        Assert.Contains(description, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helper_PageOfAnOriginNotAllowed_Refused()
    {
        var helper = await HelperAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(helper, "/login")) { Content = new StringContent("{\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}") };
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("origin-refused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// RP-initiated logout trusts <c>id_token_hint</c> to name the client whose <c>post_logout_redirect_uri</c> is
    /// honoured: a hint with one byte of its signature or of its payload changed, or signed by another issuer's key,
    /// is refused (400, no redirect, the session kept); the genuine hint still logs out.
    /// </summary>
    [Fact]
    public async Task Logout_AlteredOrForeignIdTokenHint_RefusedAndGenuineLogsOut()
    {
        using var browser = new OidcBrowserlessClient(_server);
        var idToken = (await OidcFlowTests.TokensAsync(browser, await HelperAsync(), _clientId, _secret)).GetProperty("id_token").GetString()!;
        var parts = idToken.Split('.');
        var signatureAltered = string.Join('.', parts[0], parts[1], FlipOneByte(parts[2], 10));
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]);
        var sub = System.Text.Encoding.ASCII.GetString(payload).IndexOf("\"sub\":\"", StringComparison.Ordinal) + 7;
        payload[sub] = (byte)(payload[sub] == (byte)'A' ? 'B' : 'A'); // still JSON: another subject
        var payloadAltered = string.Join('.', parts[0], System.Buffers.Text.Base64Url.EncodeToString(payload), parts[2]);
        var foreign = ForeignIssuerToken(JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).RootElement, parts[0]);
        string LogoutUrl(string hint) => $"/oidc/logout?id_token_hint={hint}&post_logout_redirect_uri={Uri.EscapeDataString(Redirect + "/logged-out")}&state=bye";

        foreach (var hint in (string[])[signatureAltered, payloadAltered, foreign])
        {
            using var refused = await browser.GetAsync(LogoutUrl(hint));
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{refused.StatusCode}: {body}");
            Assert.Null(refused.Headers.Location);
            Assert.Contains("id_token_hint", body, StringComparison.Ordinal);
        }

        // Logging out after the ID token's lifetime (10 minutes) is normal: the genuine hint still works then.
        _server.Clock.Advance(TimeSpan.FromMinutes(11));
        using var loggedOut = await browser.GetAsync(LogoutUrl(idToken));
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.StartsWith(Redirect + "/logged-out?", loggedOut.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    private static string FlipOneByte(string base64Url, int index)
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(base64Url);
        bytes[index] ^= 0x01;
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    /// <summary>The same claims and header (kid included) signed RS256 by a key that is not the provider's.</summary>
    private static string ForeignIssuerToken(JsonElement claims, string header)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var signingInput = header + "." + System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(System.Text.Encoding.ASCII.GetBytes(signingInput), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        return signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }
}
