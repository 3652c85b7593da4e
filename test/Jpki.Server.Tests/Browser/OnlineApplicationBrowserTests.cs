using System.Text;
using Jpki.Server.Tests.OnlineApplication;
using Microsoft.Playwright;

namespace Jpki.Server.Tests.Browser;

/// <summary>
/// The online application in real Chromium: a citizen fills in the request, downloads the document, signs it with a
/// virtual card issued by the server's authority and uploads the .p7s; tampered and revoked signatures are refused
/// with the reason; the staff queue shows the accepted request matched against the resident register.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OnlineApplicationBrowserTests(Chromium chromium) : IAsyncLifetime
{
    private readonly DirectoryInfo _cards = Directory.CreateTempSubdirectory("jpki-eapp-cards-");
    private EApplicationServer? _server;

    private EApplicationServer Server => _server!;

    public async Task InitializeAsync() => _server = await EApplicationServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _cards.Delete(recursive: true);
    }

    [Fact]
    public async Task Apply_SignedWithCard_AcceptedAndShownInStaffQueue()
    {
        const string test = nameof(Apply_SignedWithCard_AcceptedAndShownInStaffQueue);
        var card = await CitizenCard.IssueAsync(Server.Authority, _cards.FullName, "EAPP0001", EApplicationServer.Hanako);
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(Server.BaseUrl + "/e-application/");
        await Chromium.ScreenshotAsync(page, test, 1, "choose");
        await page.ClickAsync("#kind-juminhyo");
        await page.SelectOptionAsync("#copies", "2");
        await page.FillAsync("#purpose", "就職先への提出");
        await page.CheckAsync("#scope-household");
        await page.CheckAsync("#domicile");
        await Chromium.ScreenshotAsync(page, test, 2, "form");
        await page.ClickAsync("#prepare");

        var shown = await page.InnerTextAsync("#document");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download"));
        Assert.Equal("request.json", download.SuggestedFilename);
        var document = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(shown, Encoding.UTF8.GetString(document));
        Assert.Contains("\"household\":true", shown, StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, test, 3, "document");

        var p7s = Path.Combine(_cards.FullName, "request.json.p7s");
        await File.WriteAllBytesAsync(p7s, card.SignDetached(document, Server.Clock.GetUtcNow()));
        await page.SetInputFilesAsync("#signature-file", p7s);
        await page.ClickAsync("#submit-upload");

        var receipt = await page.InnerTextAsync("#receipt");
        Assert.Matches("^EA-20261125-[0-9A-Z]{8}$", receipt);
        Assert.Contains(EApplicationServer.Hanako.Name, await page.InnerTextAsync("#applicant"), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, test, 4, "accepted");

        // The staff queue: refused without a staff sign-in, then as a clerk.
        using (var anonymous = new HttpClient())
        {
            using var denied = await anonymous.GetAsync(new Uri(Server.BaseUrl + "/e-application/staff/"));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, denied.StatusCode);
        }

        var staff = await chromium.NewPageAsync();
        await staff.Context.SetExtraHTTPHeadersAsync([new KeyValuePair<string, string>(TestStaffAuthentication.Header, "clerk-suzuki")]);
        await staff.GotoAsync(Server.BaseUrl + "/e-application/staff/");
        var row = staff.Locator($"tr[data-receipt='{receipt}']");
        Assert.Equal("一致", await row.Locator(".match").InnerTextAsync());
        Assert.Equal("受付済", await row.Locator(".status").InnerTextAsync());
        await StaffPage.ShotAsync(staff, test, 5, "staff-queue"); // a staff page: no English
        await row.Locator("a").ClickAsync();
        Assert.Equal("一致", await staff.InnerTextAsync("#match"));
        Assert.Contains("R0001", await staff.InnerTextAsync("#resident"), StringComparison.Ordinal);
        Assert.Contains("世帯全員", await staff.InnerTextAsync("#request"), StringComparison.Ordinal);
        await staff.FillAsync("#note-input", "2通郵送済");
        await staff.ClickAsync("#mark-done");
        Assert.Equal("処理済", await staff.InnerTextAsync("#status"));
        Assert.Equal("2通郵送済", await staff.InnerTextAsync("#note"));
        await StaffPage.ShotAsync(staff, test, 6, "staff-done");

        await page.Context.CloseAsync();
        await staff.Context.CloseAsync();
    }

    [Fact]
    public async Task Apply_DocumentChangedAfterSigning_RefusedAsTampered()
    {
        const string test = nameof(Apply_DocumentChangedAfterSigning_RefusedAsTampered);
        var card = await CitizenCard.IssueAsync(Server.Authority, _cards.FullName, "EAPP0002", EApplicationServer.Hanako);
        var page = await chromium.NewPageAsync();
        var document = await PrepareSealCertificateAsync(page);
        var p7s = Path.Combine(_cards.FullName, "request.json.p7s");
        await File.WriteAllBytesAsync(p7s, card.SignDetached(document, Server.Clock.GetUtcNow()));

        // One byte changed: 1 copy becomes 9 copies.
        var tampered = (byte[])document.Clone();
        var at = Encoding.UTF8.GetString(tampered).IndexOf("\"copies\":1", StringComparison.Ordinal) + "\"copies\":".Length;
        tampered[at] = (byte)'9';
        await page.EvalOnSelectorAsync("#document-field", "(e, v) => e.value = v", Convert.ToBase64String(tampered));
        await page.SetInputFilesAsync("#signature-file", p7s);
        await page.ClickAsync("#submit-upload");

        Assert.Equal("content-tampered", await page.InnerTextAsync("#verdict-code"));
        Assert.Contains("改ざん", await page.InnerTextAsync("#refusal-title"), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, test, 1, "refused-tampered");
        await AssertQueueEmptyAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Apply_RevokedCertificate_RefusedWithTimeAndReason()
    {
        const string test = nameof(Apply_RevokedCertificate_RefusedWithTimeAndReason);
        var card = await CitizenCard.IssueAsync(Server.Authority, _cards.FullName, "EAPP0003", EApplicationServer.Taro);
        var revoked = await Server.Authority.Authority.RevokeAsync(
            card.SignSerialHex, Jpki.Authority.Contracts.RevocationReason.AffiliationChanged, null, "test", CancellationToken.None);
        Assert.Equal(Jpki.Authority.Contracts.RevokeResult.Revoked, revoked);
        var page = await chromium.NewPageAsync();
        var document = await PrepareSealCertificateAsync(page);
        var p7s = Path.Combine(_cards.FullName, "request.json.p7s");
        await File.WriteAllBytesAsync(p7s, card.SignDetached(document, Server.Clock.GetUtcNow()));
        await page.SetInputFilesAsync("#signature-file", p7s);
        await page.ClickAsync("#submit-upload");

        Assert.Equal("revoked", await page.InnerTextAsync("#verdict-code"));
        var reason = await page.InnerTextAsync("#refusal-reason");
        Assert.Contains("失効", reason, StringComparison.Ordinal);
        Assert.Contains("2026年11月25日 10時00分", reason, StringComparison.Ordinal);
        Assert.Contains("記載事項（住所・氏名等）の変更", reason, StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, test, 1, "refused-revoked");
        await AssertQueueEmptyAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Apply_SignedWithAuthenticationCertificate_RefusedAsWrongKind()
    {
        var card = await CitizenCard.IssueAsync(Server.Authority, _cards.FullName, "EAPP0004", EApplicationServer.Hanako);
        var page = await chromium.NewPageAsync();
        var document = await PrepareSealCertificateAsync(page);
        var p7s = Path.Combine(_cards.FullName, "request.json.p7s");
        await File.WriteAllBytesAsync(p7s, card.SignDetached(document, Server.Clock.GetUtcNow(), Jpki.Core.Identity.CertificateKind.Authentication));
        await page.SetInputFilesAsync("#signature-file", p7s);
        await page.ClickAsync("#submit-upload");

        Assert.Equal("wrong-kind", await page.InnerTextAsync("#verdict-code"));
        Assert.Contains("署名用電子証明書ではありません", await page.InnerTextAsync("#refusal-title"), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, nameof(Apply_SignedWithAuthenticationCertificate_RefusedAsWrongKind), 1, "refused-wrong-kind");
        await page.Context.CloseAsync();
    }

    private async Task<byte[]> PrepareSealCertificateAsync(IPage page)
    {
        await page.GotoAsync(Server.BaseUrl + "/e-application/");
        await page.ClickAsync("#kind-inkan");
        await page.FillAsync("#purpose", "不動産登記");
        await page.CheckAsync("#delivery-pickup");
        await page.ClickAsync("#prepare");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download"));
        return await File.ReadAllBytesAsync((await download.PathAsync())!);
    }

    private async Task AssertQueueEmptyAsync()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add(TestStaffAuthentication.Header, "clerk-suzuki");
        var queue = await http.GetStringAsync(new Uri(Server.BaseUrl + "/e-application/staff/"));
        Assert.Contains("受け付けた申請はありません", queue, StringComparison.Ordinal);
    }
}
