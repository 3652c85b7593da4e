using Jpki.Samples.RelyingParty;
using Jpki.Server.Tests.Browser;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// The sample relying party (samples/Jpki.Samples.RelyingParty) in real Chromium: the stock ASP.NET Core OpenIdConnect
/// handler signs a citizen in through jpki serve's provider (private_key_jwt, PKCE), and the sample's card page logs in
/// with the origin-bound login through OpenJpki.Verification directly.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SampleRelyingPartyBrowserTests(Chromium chromium) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("jpki-sample-rp-");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<WebApplication> StartSampleAsync(OidcTestServer server, int port, string clientId)
    {
        var root = Path.Combine(_dir.FullName, "auth-ca.pem");
        await File.WriteAllTextAsync(root, OpenSsl.Pem("CERTIFICATE", server.Authority.Authority.AuthCa.CertificateDer));
        var site = SampleSite.Build(
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--Oidc:Authority", server.Issuer,
            "--Oidc:ClientId", clientId,
            "--Oidc:KeyFile", Path.Combine(_dir.FullName, "client-key.pem"),
            "--Oidc:RequireHttpsMetadata", "false",
            "--JpkiVerification:TrustedRootFiles:0", root,
            "--JpkiVerification:OcspUri", server.BaseUrl + "/ocsp",
            "--JpkiVerification:LoginOrigins:0", $"http://127.0.0.1:{port}",
            "--JpkiScript", server.BaseUrl + "/js/jpki-login.js",
            "--JpkiHelper", $"http://127.0.0.1:{server.HelperPort}",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await site.StartAsync();
        return site;
    }

    [Fact]
    public async Task AspNetCoreOpenIdConnectHandler_SignsTheCitizenIn()
    {
        const string test = nameof(AspNetCoreOpenIdConnectHandler_SignsTheCitizenIn);
        // The handler checks the ID token's lifetime against the real clock: the server's clock starts at the real now.
        await using var server = await OidcTestServer.StartAsync(clock: new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
        var card = await server.IssueCardAsync("OIDCSAMP1");
        var port = OidcTestServer.FreePort();
        // The sample writes its private_key_jwt key pair at start; the client is registered with the public JWKS.
        await using var site = await StartSampleAsync(server, port, "sample-rp");
        await server.AddClientAsync($"http://127.0.0.1:{port}/signin-oidc", clientId: "sample-rp", jwks: await File.ReadAllTextAsync(Path.Combine(_dir.FullName, "client-key.jwks.json")), name: "サンプル市 オンラインサービス");
        await server.StartHelperAsync(card, CitizenCard.AuthPin + "\n", onPagePort: true);
        var page = await chromium.NewPageAsync();

        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.ClickAsync("#oidc-login");
        await page.Locator("#card-login").WaitForAsync();
        await Chromium.ScreenshotAsync(page, test, 1, "provider-login-page");
        await page.ClickAsync("#card-login");
        await page.Locator("#claims").WaitForAsync();

        await Chromium.ScreenshotAsync(page, test, 2, "signed-in");
        Assert.StartsWith($"http://127.0.0.1:{port}/account", page.Url, StringComparison.Ordinal);
        var sub = await page.InnerTextAsync("dd[data-claim='sub']");
        Assert.Equal(43, sub.Length);
        Assert.Equal("hwk", await page.Locator("dd[data-claim='amr']").First.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CardPage_OriginBoundLoginThroughTheLibrary_SignsTheCitizenIn()
    {
        // The sample verifies on the system clock (OCSP freshness): the authority's clock starts at the real now.
        await using var server = await OidcTestServer.StartAsync(clock: new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
        var card = await server.IssueCardAsync("OIDCSAMP2");
        var port = OidcTestServer.FreePort();
        await using var site = await StartSampleAsync(server, port, "unused");
        var (_, console) = await server.StartHelperAsync(card, CitizenCard.AuthPin + "\n", [$"http://127.0.0.1:{port}"], onPagePort: true);
        var page = await chromium.NewPageAsync();

        await page.GotoAsync($"http://127.0.0.1:{port}/card");
        await page.ClickAsync("#login");
        var done = await page.Locator("#logged-in, #status:not(:empty)").First.InnerTextAsync();

        await Chromium.ScreenshotAsync(page, nameof(CardPage_OriginBoundLoginThroughTheLibrary_SignsTheCitizenIn), 1, "logged-in");
        Assert.Contains("jpki1:", done, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{port}", console.ToString(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
