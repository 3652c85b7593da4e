using System.Net;
using System.Text.Json;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jpki.Server.Tests.Oidc;

/// <summary>Token-key rotation under a running deployment: rotate, restart, nobody logged out (its own server: it restarts it).</summary>
public sealed class OidcKeyRotationTests : IAsyncLifetime
{
    private OidcTestServer _server = null!;
    private CitizenCard _card = null!;

    public async Task InitializeAsync()
    {
        _server = await OidcTestServer.StartAsync();
        _card = await _server.IssueCardAsync("OIDCROT1");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task KeyRotation_OldTokensStillValid_NewTokensSignedWithTheNewKey()
    {
        var (clientId, secret) = await _server.AddClientAsync(OidcFlowTests.Redirect);
        var (helper, _) = await _server.StartHelperAsync(_card, CitizenCard.AuthPin + "\n" + CitizenCard.AuthPin + "\n");
        using var browser = new OidcBrowserlessClient(_server);
        var before = await OidcFlowTests.TokensAsync(browser, helper.Address, clientId, secret);
        var oldKid = new JsonWebToken(before.GetProperty("id_token").GetString()!).Kid;

        _server.Clock.Advance(TimeSpan.FromMinutes(1));
        Jpki.Oidc.OidcKeyRing.Rotate(Path.Combine(_server.Data, "oidc", "keys"), _server.Clock);
        await _server.RestartAsync();

        // The access token signed before the rotation still opens userinfo: nobody is logged out.
        using var userInfo = await browser.UserInfoAsync(before.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        using var http = new HttpClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync(_server.Issuer + "jwks"));
        Assert.Contains(jwks.Keys, k => k.Kid == oldKid);
        using var again = new OidcBrowserlessClient(_server);
        var after = await OidcFlowTests.TokensAsync(again, helper.Address, clientId, secret);
        var newKid = new JsonWebToken(after.GetProperty("id_token").GetString()!).Kid;
        Assert.NotEqual(oldKid, newKid);
        Assert.Contains(jwks.Keys, k => k.Kid == newKid);
        await OidcFlowTests.ValidateIdTokenAsync(_server, before.GetProperty("id_token").GetString()!, clientId);
    }
}
