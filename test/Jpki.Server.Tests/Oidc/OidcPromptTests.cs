using System.Net;
using System.Text.Json;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// The <c>prompt</c> parameter of /oidc/authorize (OpenID Connect Core 1.0 §3.1.2.1): <c>none</c> answers the client at
/// once — a code when no interaction is needed, <c>login_required</c> / <c>consent_required</c> when it is;
/// <c>login</c> asks for a fresh card login even with a session; <c>consent</c> shows the consent page again.
/// </summary>
public sealed class OidcPromptTests(OidcServerFixture fixture) : IClassFixture<OidcServerFixture>
{
    private const string Redirect = OidcFlowTests.Redirect;

    private readonly OidcTestServer _server = fixture.Server;
    private readonly CitizenCard _card = fixture.Card;

    private async Task<Uri> HelperAsync(int logins = 1)
        => (await _server.StartHelperAsync(_card, string.Concat(Enumerable.Repeat(CitizenCard.AuthPin + "\n", logins)))).Helper.Address;

    [Fact]
    public async Task PromptNone_NotLoggedIn_LoginRequiredToTheClient()
    {
        var (clientId, _) = await _server.AddClientAsync(Redirect);
        using var browser = new OidcBrowserlessClient(_server);

        using var response = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect) + "&prompt=none");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(Redirect + "?", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("login_required", OidcBrowserlessClient.Query(response.Headers.Location!, "error"));
        Assert.Equal("st4te", OidcBrowserlessClient.Query(response.Headers.Location!, "state"));
        // The provider's event 6304 names the client and the error, nothing of the citizen.
        Assert.Equal("login_required", Assert.Single(_server.Logs.Of(6304), e => e.Values["ClientId"] == clientId).Values["Error"]);
    }

    [Fact]
    public async Task PromptNone_LoggedIn_CodeWithoutAnyPage()
    {
        var (clientId, secret) = await _server.AddClientAsync(Redirect);
        using var browser = new OidcBrowserlessClient(_server);
        await browser.LoginAsync(await HelperAsync(), clientId, Redirect);

        using var response = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect) + "&prompt=none");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var tokens = await browser.TokenAsync(clientId, secret, OidcBrowserlessClient.Query(response.Headers.Location!, "code"), Redirect);

        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
    }

    [Fact]
    public async Task PromptNone_LoggedInButBasic4NeedsConsent_ConsentRequiredToTheClient()
    {
        var (clientId, _) = await _server.AddClientAsync(Redirect, basic4: true);
        using var browser = new OidcBrowserlessClient(_server);
        await browser.LoginAsync(await HelperAsync(), clientId, Redirect);

        using var response = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect, "openid jpki:basic4") + "&prompt=none");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("consent_required", OidcBrowserlessClient.Query(response.Headers.Location!, "error"));
    }

    [Fact]
    public async Task PromptLogin_WithSession_FreshCardLoginRequired_NotSkippedByPostingTheFormAgain()
    {
        var (clientId, secret) = await _server.AddClientAsync(Redirect);
        using var browser = new OidcBrowserlessClient(_server);
        var helper = await HelperAsync(logins: 2);
        await browser.LoginAsync(helper, clientId, Redirect);
        var firstLogin = _server.Clock.GetUtcNow();
        _server.Clock.Advance(TimeSpan.FromSeconds(30));

        using var again = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect) + "&prompt=login");
        var page = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("id=\"card-login\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"prompt\"", page, StringComparison.Ordinal);
        // The session ended with prompt=login: posting the continue form without a new card login only shows the login page.
        using (var skipped = await browser.ContinueAsync(page))
        {
            Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
            Assert.Contains("id=\"card-login\"", await skipped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var login = await browser.CardLoginAsync(helper))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using var redirect = await browser.ContinueAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        using var tokens = await browser.TokenAsync(clientId, secret, OidcBrowserlessClient.Query(redirect.Headers.Location!, "code"), Redirect);
        var idToken = new JsonWebToken(JsonDocument.Parse(await tokens.Content.ReadAsStringAsync()).RootElement.GetProperty("id_token").GetString()!);

        // auth_time is the second login's, 30 s after the first.
        Assert.Equal(firstLogin.AddSeconds(30).ToUnixTimeSeconds(), long.Parse(idToken.GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PromptConsent_OpenIdOnly_ConsentPageEvenWithSession_GrantFromTheUrlIgnored_AgreeOrRefuseOnThePage()
    {
        var (clientId, secret) = await _server.AddClientAsync(Redirect);
        using var browser = new OidcBrowserlessClient(_server);
        await browser.LoginAsync(await HelperAsync(), clientId, Redirect);

        using var first = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect) + "&prompt=consent");
        var page = await first.Content.ReadAsStringAsync();
        using var forged = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect) + "&prompt=consent&jpki_consent=granted");
        using var refused = await browser.ContinueAsync(page, ("jpki_consent", "refused"));
        using var agreed = await browser.ContinueAsync(page, ("jpki_consent", "granted"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("テスト市 子育て支援サービス", page, StringComparison.Ordinal);
        Assert.Contains("このサービス専用の識別子", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Contains("id=\"consent-agree\"", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("access_denied", OidcBrowserlessClient.Query(refused.Headers.Location!, "error"));
        Assert.Equal(HttpStatusCode.Redirect, agreed.StatusCode);
        using var tokens = await browser.TokenAsync(clientId, secret, OidcBrowserlessClient.Query(agreed.Headers.Location!, "code"), Redirect);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
    }

    [Fact]
    public async Task PromptConsent_Basic4_ConsentPageWithEachItemAgainWhileLoggedIn()
    {
        var (clientId, _) = await _server.AddClientAsync(Redirect, basic4: true);
        using var browser = new OidcBrowserlessClient(_server);
        await browser.LoginAsync(await HelperAsync(), clientId, Redirect);

        using var response = await browser.GetAsync(browser.AuthorizeUrl(clientId, Redirect, "openid jpki:basic4") + "&prompt=consent");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("id=\"card-login\"", page, StringComparison.Ordinal);
        foreach (var item in new[] { "氏名", "住所", "生年月日", "性別" })
        {
            Assert.Contains($"<li>{item}</li>", page, StringComparison.Ordinal);
        }
    }
}
