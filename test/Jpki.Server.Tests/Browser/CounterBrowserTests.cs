using System.Text.RegularExpressions;
using Jpki.Server.Tests.Counter;
using Microsoft.Playwright;

namespace Jpki.Server.Tests.Browser;

/// <summary>
/// A clerk's day in real Chromium on the embedded default server: log in, find the resident, issue onto a virtual card
/// file (in person, with a substitute character chosen by the holder), and the proxy flow over two days. Every step is
/// kept as a screenshot under test-artifacts/screenshots/&lt;test&gt;/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class CounterBrowserTests(Chromium chromium) : IAsyncLifetime
{
    private readonly CounterServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Clerk_InPersonIssuance_EndToEnd()
    {
        const string Test = nameof(Clerk_InPersonIssuance_EndToEnd);
        await _server.AddResidentWithCardAsync("B01", name: "髙橋　一郎");
        var page = await chromium.NewPageAsync();
        var step = 0;

        await LoginAsync(page, "/staff/login", Test, ++step);
        await StaffPage.ShotAsync(page, Test, ++step, "search");
        await page.GetByLabel("住民番号・氏名・フリガナ").FillAsync("髙橋");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).ClickAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "results");
        await page.GetByRole(AriaRole.Link, new() { Name = "髙橋　一郎" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "基本4情報" })).ToBeVisibleAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "resident");

        await page.GetByRole(AriaRole.Link, new() { Name = "電子証明書の発行・更新" }).ClickAsync();
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(new SelectOptionValue { Value = "file:B01.jpkicard" });
        await page.GetByLabel("顔写真付き本人確認書類（カード券面など）で本人を確認しました").CheckAsync();
        await page.GetByLabel("「高」").CheckAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "choices");
        await page.GetByRole(AriaRole.Button, new() { Name = "確認へ進む" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "発行内容の確認" })).ToBeVisibleAsync();
        Assert.Contains("高橋", await page.GetByRole(AriaRole.Table).First.InnerTextAsync(), StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "confirm");

        await StaffPage.FillIssuePinsAsync(page);
        await StaffPage.ShotAsync(page, Test, ++step, "pins-entered");
        await page.GetByRole(AriaRole.Button, new() { Name = "発行する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("電子証明書を発行しました");
        var receipt = await page.GetByRole(AriaRole.Table, new() { Name = "発行した電子証明書" }).InnerTextAsync();
        Assert.Contains("2031年2月17日", receipt, StringComparison.Ordinal);
        Assert.Contains("新規", receipt, StringComparison.Ordinal);
        Assert.Contains("高", await page.GetByRole(AriaRole.Table, new() { Name = "代替文字" }).InnerTextAsync(), StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "receipt");

        await page.GetByRole(AriaRole.Link, new() { Name = "住民の画面へ戻る" }).ClickAsync();
        var certificates = await page.GetByRole(AriaRole.Table, new() { Name = "電子証明書" }).InnerTextAsync();
        Assert.Contains("2030年11月17日", certificates, StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "resident-with-certificates");

        // A correction of the birth date is a change of the basic 4 info: the signature certificate is revoked, the
        // authentication certificate stays valid.
        await page.GetByLabel("異動の種類").SelectOptionAsync("BirthDateCorrection");
        await page.GetByLabel("正しい生年月日（生年月日の訂正のとき）").FillAsync("1981-02-17");
        await StaffPage.ShotAsync(page, Test, ++step, "birth-date-correction");
        await page.GetByRole(AriaRole.Button, new() { Name = "届出を登録する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("異動を登録し");
        var after = await page.GetByRole(AriaRole.Table, new() { Name = "電子証明書" }).InnerTextAsync();
        Assert.Contains("失効", after, StringComparison.Ordinal);
        Assert.Contains("有効", after, StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "sign-certificate-revoked");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Clerk_ProxyIssuance_Visit1LetterVisit2()
    {
        const string Test = nameof(Clerk_ProxyIssuance_Visit1LetterVisit2);
        await _server.AddResidentWithCardAsync("B02");
        var page = await chromium.NewPageAsync();
        var step = 0;

        await LoginAsync(page, "/staff/login", Test, ++step);
        await page.GetByRole(AriaRole.Link, new() { Name = "代理人申請" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "1回目の来庁：代理人申請の受付（照会書の作成）" }).ClickAsync();
        await page.GetByLabel("申請者の住民番号").FillAsync("B02");
        await page.GetByLabel("代理人の氏名").FillAsync("山田　花子");
        await page.GetByLabel("代理人の本人確認書類の種類（例：運転免許証）").FillAsync("運転免許証");
        await page.GetByLabel("代理人の顔写真付き本人確認書類を確認しました").CheckAsync();
        await page.GetByLabel("申請者の申請書があります").CheckAsync();
        await page.GetByLabel("委任状があります").CheckAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "visit1-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "受け付けて照会書を作成する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("照会書を作成しました");
        var reference = ReferencePattern().Match(await page.GetByRole(AriaRole.Table).First.InnerTextAsync()).Value;
        Assert.Matches(ReferencePattern(), reference);
        await StaffPage.ShotAsync(page, Test, ++step, "visit1-done");

        await page.GetByRole(AriaRole.Link, new() { Name = "照会書を印刷する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Article, new() { Name = "照会書" })).ToContainTextAsync("山田　花子 様から");
        await StaffPage.ShotAsync(page, Test, ++step, "letter");

        await page.GotoAsync(_server.BaseAddress + "counter/proxy");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "回答待ちの照会書" })).ToContainTextAsync(reference);
        await StaffPage.ShotAsync(page, Test, ++step, "queue");

        // The letter travels by post: visit 2 is on a later day (the session of the day before has expired).
        _server.Clock.Advance(TimeSpan.FromDays(1));
        await LoginAsync(page, "/counter/proxy/visit", Test, ++step);
        await page.GetByLabel("照会番号（回答書に記載の16桁）").FillAsync(reference.Replace("-", string.Empty, StringComparison.Ordinal));
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(new SelectOptionValue { Value = "file:B02.jpkicard" });
        await page.GetByLabel("代理人の顔写真付き本人確認書類を再度確認しました").CheckAsync();
        await page.GetByLabel("異常なし（はがされていない）").CheckAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "visit2-checks");
        await page.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        await page.GetByLabel("券面事項入力補助用の暗証番号（代理人が入力）").FillAsync(CounterServer.CardPin);
        await page.GetByLabel("署名用電子証明書のパスワード（回答書から職員が入力）").FillAsync("ABC123");
        await page.GetByLabel("署名用電子証明書のパスワード（確認のためもう一度）").FillAsync("ABC123");
        await page.GetByLabel("利用者証明用電子証明書の暗証番号（回答書から職員が入力）").FillAsync("5678");
        await page.GetByLabel("利用者証明用電子証明書の暗証番号（確認のためもう一度）").FillAsync("5678");
        await StaffPage.ShotAsync(page, Test, ++step, "visit2-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "確認して交付する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("電子証明書を発行しました");
        Assert.Contains("代理人による交付", await page.ContentAsync(), StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "receipt");
        await page.Context.CloseAsync();
    }

    private async Task LoginAsync(IPage page, string path, string test, int step)
    {
        await page.GotoAsync(_server.BaseAddress + path.TrimStart('/'));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "職員ログイン" })).ToBeVisibleAsync();
        await page.GetByLabel("ログインID").FillAsync("clerk1");
        await page.GetByLabel("パスワード").FillAsync(CounterServer.ClerkPassword);
        await StaffPage.ShotAsync(page, test, step, "login");
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン" }).ClickAsync();
        await Assertions.Expect(page.GetByText("窓口　花子")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"\d{4}-\d{4}-\d{4}-\d{4}")]
    private static partial Regex ReferencePattern();
}
