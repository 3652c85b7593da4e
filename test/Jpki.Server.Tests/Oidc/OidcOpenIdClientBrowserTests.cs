using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Server.Tests.Browser;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// The outside judge: <c>openid-client</c> (npm, the most used OpenID Connect client in JavaScript) completes the code
/// flow with PKCE against <c>jpki serve</c> in real Chromium, the citizen logging in with a virtual card behind
/// <c>jpki sign-helper</c>; openid-client validates the ID token itself (JWS signature against our JWKS, iss, aud, exp, nonce).
/// Run with today's RSA card and with the next-generation P-384 card under a nextgen authority.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OidcOpenIdClientBrowserTests(Chromium chromium)
{
    [Theory]
    [InlineData(AuthoritySettings.ProfileJpki)]
    [InlineData(AuthoritySettings.ProfileNextGeneration)]
    public async Task OpenIdClient_CodeFlowWithPkce_CardLoginInChromium_IdTokenAccepted(string profile)
    {
        var test = nameof(OpenIdClient_CodeFlowWithPkce_CardLoginInChromium_IdTokenAccepted) + (profile == AuthoritySettings.ProfileJpki ? string.Empty : "_" + profile);
        // openid-client checks exp and iat against the real clock: the server's clock starts at the real now. With
        // nextgen, the authority and the card are the next-generation ones (P-384): jpki-login.js carries an ES384 token.
        await using var server = await OidcTestServer.StartAsync(clock: new FakeTimeProvider(TimeProvider.System.GetUtcNow()), profile: profile);
        var card = await server.IssueCardAsync("OIDCNODE1");
        var rpPort = OidcTestServer.FreePort();
        var (clientId, secret) = await server.AddClientAsync($"http://127.0.0.1:{rpPort}/callback", name: "openid-client テストサイト");
        var (_, console) = await server.StartHelperAsync(card, CitizenCard.AuthPin + "\n", onPagePort: true);
        await using var rp = await NodeRelyingParty.StartAsync(server.Issuer, clientId, secret!, rpPort);
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(rp.BaseUrl + "/login");
        await page.Locator("#card-login").WaitForAsync();
        Assert.Contains("openid-client テストサイト", await page.InnerTextAsync("#client"), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, test, 1, "card-login-page");
        await page.ClickAsync("#card-login");
        var result = await page.Locator("#result, #error").First.InnerTextAsync();

        await Chromium.ScreenshotAsync(page, test, 2, "relying-party-result");
        Assert.True(page.Url.StartsWith(rp.BaseUrl + "/callback", StringComparison.Ordinal), result);
        var accepted = JsonDocument.Parse(result).RootElement;
        Assert.Equal("RS256", accepted.GetProperty("alg").GetString());
        var claims = accepted.GetProperty("claims");
        Assert.Equal(server.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(clientId, claims.GetProperty("aud").GetString());
        Assert.Equal(claims.GetProperty("sub").GetString(), accepted.GetProperty("userinfo").GetProperty("sub").GetString());
        Assert.Contains(server.BaseUrl, console.ToString(), StringComparison.Ordinal);
        Assert.Contains(profile == AuthoritySettings.ProfileNextGeneration ? "（ES384）" : "（RS256）", console.ToString(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
