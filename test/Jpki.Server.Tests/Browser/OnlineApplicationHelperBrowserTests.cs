using System.Net;
using System.Net.Sockets;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli;
using Jpki.Cli.Commands.SignHelper;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Tests.Browser;

/// <summary>
/// The local signing helper path in Chromium: the page sends the document to <c>jpki sign-helper</c> on 127.0.0.1
/// (started by the test, password fed to its console), gets the .p7s back and submits it; and the page's message
/// when no helper is running.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OnlineApplicationHelperBrowserTests(Chromium chromium) : IDisposable
{
    private readonly DirectoryInfo _cards = Directory.CreateTempSubdirectory("jpki-eapp-helper-");

    public void Dispose() => _cards.Delete(recursive: true);

    [Theory]
    [InlineData("cades")]
    [InlineData("xades")]
    [InlineData("pades")]
    public async Task Apply_SignedThroughLocalHelper_EachFormat_AcceptedAndKeptInThatFormat(string format)
    {
        var test = nameof(Apply_SignedThroughLocalHelper_EachFormat_AcceptedAndKeptInThatFormat) + "-" + format;
        var helperPort = FreePort();
        await using var server = await EApplicationServer.StartAsync(new Uri($"http://127.0.0.1:{helperPort}"));
        var card = await CitizenCard.IssueAsync(server.Authority, _cards.FullName, "EAPP0101", EApplicationServer.Hanako);
        using var console = new StringWriter();
        var context = new CliContext(console, console, server.Clock) { Stdin = new StringReader(CitizenCard.SignPassword + "\n") };
        await using var helper = new SignHelperServer(
            new SignHelperOptions(helperPort, [server.BaseUrl]),
            () => (new InProcessTransport(VirtualCard.Open(card.Path), "card", ownsCard: true), null),
            new ConsolePasswordPrompt(context),
            console,
            server.Clock);
        await helper.StartAsync(CancellationToken.None);

        var page = await chromium.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/e-application/new?kind=juminhyo");
        await page.FillAsync("#purpose", "年金の手続き");
        await page.CheckAsync("#delivery-pickup");
        await page.ClickAsync("#prepare");
        var sha256 = await page.InnerTextAsync("#document-sha256");
        await page.CheckAsync("#helper-format-" + format);
        await page.ClickAsync("#helper-sign");

        var receipt = await page.InnerTextAsync("#receipt");
        Assert.StartsWith("EA-20261125-", receipt, StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, test, 1, "accepted-via-helper");
        var store = server.App.Services.GetRequiredService<Jpki.OnlineApplication.IApplicationStore>();
        Assert.Equal(format, (await store.FindAsync(receipt, default))!.SignatureFormat);

        // The helper showed the format and the document on its own console: the request itself with the page's SHA-256,
        // or for PDF signing the PDF (whose page names that SHA-256).
        Assert.Contains(format switch { "xades" => "XAdES B-B (detached, reference \"request.json\")", "pades" => "PAdES B-B", _ => "CAdES B-B" }, console.ToString(), StringComparison.Ordinal);
        if (format != "pades")
        {
            Assert.Contains(sha256, console.ToString(), StringComparison.Ordinal);
            Assert.Contains("年金の手続き", console.ToString(), StringComparison.Ordinal);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Apply_HelperNotRunning_PageSaysSoAndOffersUpload()
    {
        await using var server = await EApplicationServer.StartAsync(new Uri($"http://127.0.0.1:{FreePort()}"));
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/e-application/new?kind=inkan");
        await page.FillAsync("#purpose", "自動車登録");
        await page.ClickAsync("#prepare");
        await page.ClickAsync("#helper-sign");

        await page.Locator("#helper-status.ng").WaitForAsync();
        Assert.Contains("接続できません", await page.InnerTextAsync("#helper-status"), StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#signature-file"));
        await Chromium.ScreenshotAsync(page, nameof(Apply_HelperNotRunning_PageSaysSoAndOffersUpload), 1, "helper-missing");
        await page.Context.CloseAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
