using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Jpki.Server.Tests.Counter;
using Microsoft.Playwright;

namespace Jpki.Server.Tests.Browser;

/// <summary>
/// What a clerk does by habit, in real Chromium on the embedded default server — a double click, F5, Back, a second tab
/// where a colleague logs in, a session that ran out overnight, a forgotten choice, a card fresh from <c>jpki card new</c>
/// — each asserting what the clerk sees and what is stored. Screenshots under test-artifacts/screenshots/&lt;test&gt;/,
/// each checked for English on the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CounterDeskBrowserTests(Chromium chromium) : IAsyncLifetime
{
    /// <summary>Issuance makes two RSA-2048 keys on the (virtual) card: give it time on a busy machine.</summary>
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 120_000 };

    private readonly CounterServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Issue_DoubleClickReloadBack_OneIssuance_ThenAfterAMoveOnlyTheSignatureCertificateIsTicked()
    {
        const string Test = nameof(Issue_DoubleClickReloadBack_OneIssuance_ThenAfterAMoveOnlyTheSignatureCertificateIsTicked);
        var slot = await _server.AddResidentWithCardAsync("D01");
        var page = await chromium.NewPageAsync();
        var step = 0;
        await StaffPage.LoginAsync(page, _server, "/counter/residents/D01/issue");
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(slot);
        await page.GetByLabel("顔写真付き本人確認書類（カード券面など）で本人を確認しました").CheckAsync();
        Assert.True(await page.GetByLabel("署名用電子証明書").IsCheckedAsync());
        Assert.True(await page.GetByLabel("利用者証明用電子証明書").IsCheckedAsync());
        await StaffPage.ShotAsync(page, Test, ++step, "choices");
        await page.GetByRole(AriaRole.Button, new() { Name = "確認へ進む" }).ClickAsync();
        await StaffPage.FillIssuePinsAsync(page);
        await StaffPage.ShotAsync(page, Test, ++step, "pins");

        // Habit 1: a double click on 発行する. One issuance; the clerk sees its receipt (never the second request's error).
        await page.GetByRole(AriaRole.Button, new() { Name = "発行する" }).DblClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("電子証明書を発行しました", Slow);
        var receipt = await page.GetByRole(AriaRole.Table, new() { Name = "発行した電子証明書" }).InnerTextAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "receipt");
        Assert.Equal(2, (await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("D01"), default)).Count);
        Assert.Single(await IssuancesAsync("D01"));

        // Habit 2: F5 on the receipt shows it again and issues nothing.
        await page.ReloadAsync();
        Assert.Equal(receipt, await page.GetByRole(AriaRole.Table, new() { Name = "発行した電子証明書" }).InnerTextAsync());
        Assert.Equal(2, (await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("D01"), default)).Count);

        // Habit 3: Back. The confirmation is checked again: both certificates are now valid, so the refusal comes before any PIN field.
        await page.GoBackAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("まだ更新期間ではありません");
        Assert.Equal(0, await page.GetByLabel("券面事項入力補助用の暗証番号（数字4桁）").CountAsync());
        await StaffPage.ShotAsync(page, Test, ++step, "back-refused-before-pins");
        Assert.Equal(2, (await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("D01"), default)).Count);
        Assert.Single(await IssuancesAsync("D01"));

        // After a move the signature certificate is revoked: the form ticks it alone and says when the other may be renewed.
        await page.GotoAsync(_server.BaseAddress + "counter/residents/D01");
        await page.GetByLabel("異動の種類").SelectOptionAsync("MoveWithin");
        await page.GetByLabel("新しい住所・氏名、または紛失したカード番号").FillAsync("東京都千代田区丸の内１－１");
        await page.GetByRole(AriaRole.Button, new() { Name = "届出を登録する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("異動を登録し、対象の電子証明書を失効させました");
        await page.GetByRole(AriaRole.Link, new() { Name = "電子証明書の発行・更新" }).ClickAsync();
        Assert.True(await page.GetByLabel("署名用電子証明書").IsCheckedAsync());
        Assert.False(await page.GetByLabel("利用者証明用電子証明書").IsCheckedAsync());
        await Assertions.Expect(page.GetByText("更新の受付は")).ToBeVisibleAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "after-move-defaults");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SecondTab_ColleagueLogsIn_FormShownAgainInJapaneseWithWhatWasTyped()
    {
        const string Test = nameof(SecondTab_ColleagueLogsIn_FormShownAgainInJapaneseWithWhatWasTyped);
        await _server.AddResidentWithCardAsync("D02");
        var page = await chromium.NewPageAsync();
        var step = 0;
        await StaffPage.LoginAsync(page, _server, "/counter/residents/D02");
        await page.GetByLabel("異動の種類").SelectOptionAsync("MoveWithin");
        await page.GetByLabel("新しい住所・氏名、または紛失したカード番号").FillAsync("東京都千代田区紀尾井町１－３");

        // A colleague, in a second tab of the same browser, logs out and logs in as themselves.
        var tab = await page.Context.NewPageAsync();
        await tab.GotoAsync(_server.BaseAddress + "counter");
        await tab.GetByRole(AriaRole.Button, new() { Name = "ログアウト" }).ClickAsync();
        await StaffPage.LoginAsync(tab, _server, "/counter", "super1");
        await tab.CloseAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "届出を登録する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("ログインしている職員が変わった");
        Assert.Equal("東京都千代田区紀尾井町１－３", await page.GetByLabel("新しい住所・氏名、または紛失したカード番号").InputValueAsync());
        Assert.Equal("MoveWithin", await page.GetByLabel("異動の種類").InputValueAsync());
        Assert.Contains("監督　太郎", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "stale-token-kept");
        Assert.Equal("東京都千代田区千代田１－１", (await _server.Store.FindResidentAsync("D02", default))!.Address);

        // Sent again from the page shown now: stored, under the colleague's name.
        await page.GetByRole(AriaRole.Button, new() { Name = "届出を登録する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("異動を登録し");
        await StaffPage.ShotAsync(page, Test, ++step, "sent-again");
        Assert.Equal("東京都千代田区紀尾井町１－３", (await _server.Store.FindResidentAsync("D02", default))!.Address);
        Assert.Equal("super1", Assert.Single(await _server.Store.ListChangesAsync("D02", default)).StaffId);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StaleSession_OvernightThenSubmit_LoginAndTheFormComesBackFilledIn()
    {
        const string Test = nameof(StaleSession_OvernightThenSubmit_LoginAndTheFormComesBackFilledIn);
        await _server.AddResidentWithCardAsync("D03");
        var page = await chromium.NewPageAsync();
        var step = 0;
        await StaffPage.LoginAsync(page, _server, "/counter/proxy/new?resident=D03");
        await page.GetByLabel("代理人の氏名").FillAsync("代理　次郎");
        await page.GetByLabel("代理人の本人確認書類の種類（例：運転免許証）").FillAsync("運転免許証");
        await page.GetByLabel("代理人の顔写真付き本人確認書類を確認しました").CheckAsync();
        await page.GetByLabel("申請者の申請書があります").CheckAsync();
        await page.GetByLabel("委任状があります").CheckAsync();

        // The form stays open overnight: the 8-hour session has ended when the clerk sends it next morning.
        _server.Clock.Advance(TimeSpan.FromHours(23));
        await page.GetByRole(AriaRole.Button, new() { Name = "受け付けて照会書を作成する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "職員ログイン" })).ToBeVisibleAsync();
        Assert.Empty(await _server.Store.ListInquiriesAsync(InquiryStatus.Open, 10, default));
        await page.GetByLabel("ログインID").FillAsync("clerk1");
        await page.GetByLabel("パスワード").FillAsync(CounterServer.ClerkPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("入力内容を復元しました");
        Assert.Equal("代理　次郎", await page.GetByLabel("代理人の氏名").InputValueAsync());
        Assert.Equal("D03", await page.GetByLabel("申請者の住民番号").InputValueAsync());
        Assert.True(await page.GetByLabel("委任状があります").IsCheckedAsync());
        await StaffPage.ShotAsync(page, Test, ++step, "restored");
        Assert.Empty(await _server.Store.ListInquiriesAsync(InquiryStatus.Open, 10, default));

        await page.GetByRole(AriaRole.Button, new() { Name = "受け付けて照会書を作成する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("照会書を作成しました");
        await StaffPage.ShotAsync(page, Test, ++step, "created");
        Assert.Single(await _server.Store.ListInquiriesAsync(InquiryStatus.Open, 10, default));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ProxyVisit2_ForgottenSealChoice_NothingClosed_BrokenAsksFirst_IntactIssuesWithPinsTypedTwice()
    {
        const string Test = nameof(ProxyVisit2_ForgottenSealChoice_NothingClosed_BrokenAsksFirst_IntactIssuesWithPinsTypedTwice);
        var slot = await _server.AddResidentWithCardAsync("D04");
        var inquiry = (await _server.Web.Proxy.RecordRequestAsync(StaffAccount.Clerk("clerk1"), new ProxyRequest("D04", "代理　三郎", "運転免許証", true, true, true), default)).Value!;
        _server.Clock.Advance(TimeSpan.FromDays(1));
        var page = await chromium.NewPageAsync();
        var step = 0;
        await StaffPage.LoginAsync(page, _server, "/counter/proxy/visit");
        await page.GetByLabel("照会番号（回答書に記載の16桁）").FillAsync(inquiry.Reference);
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(slot);
        await page.GetByLabel("代理人の顔写真付き本人確認書類を再度確認しました").CheckAsync();

        // The seal choice forgotten: Chromium itself asks for it (required)…
        await page.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        Assert.NotEmpty(await page.GetByLabel("異常なし（はがされていない）").EvaluateAsync<string>("e => e.validationMessage"));
        // …and a browser that does not (the attribute removed) gets the server's answer: choose; nothing was closed.
        await page.EvaluateAsync("() => document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))");
        await page.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("目隠しシールの状態");
        Assert.Equal(inquiry.Reference, await page.GetByLabel("照会番号（回答書に記載の16桁）").InputValueAsync());
        await StaffPage.ShotAsync(page, Test, ++step, "seal-not-chosen");
        Assert.Equal(InquiryStatus.Open, (await _server.Store.FindInquiryAsync(inquiry.Reference, default))!.Status);

        // はがされている asks before it closes anything; 戻る keeps the application open.
        await page.GetByLabel("はがされている").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "回答書を無効にして照会書を閉じる" })).ToBeVisibleAsync();
        await StaffPage.ShotAsync(page, Test, ++step, "broken-confirmation");
        await page.GetByRole(AriaRole.Link, new() { Name = "戻る（選び直す）" }).ClickAsync();
        Assert.Equal(InquiryStatus.Open, (await _server.Store.FindInquiryAsync(inquiry.Reference, default))!.Status);

        await page.GetByLabel("代理人の顔写真付き本人確認書類を再度確認しました").CheckAsync();
        await page.GetByLabel("異常なし（はがされていない）").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        await page.GetByLabel("券面事項入力補助用の暗証番号（代理人が入力）").FillAsync(CounterServer.CardPin);
        await page.GetByLabel("署名用電子証明書のパスワード（回答書から職員が入力）").FillAsync("ABC123");
        await page.GetByLabel("署名用電子証明書のパスワード（確認のためもう一度）").FillAsync("ABC124");
        await page.GetByLabel("利用者証明用電子証明書の暗証番号（回答書から職員が入力）").FillAsync("5678");
        await page.GetByLabel("利用者証明用電子証明書の暗証番号（確認のためもう一度）").FillAsync("5678");
        await page.GetByRole(AriaRole.Button, new() { Name = "確認して交付する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("確認用が一致しません");
        await StaffPage.ShotAsync(page, Test, ++step, "pin-mismatch");
        Assert.Empty(await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("D04"), default));

        await page.GetByLabel("券面事項入力補助用の暗証番号（代理人が入力）").FillAsync(CounterServer.CardPin);
        await page.GetByLabel("署名用電子証明書のパスワード（回答書から職員が入力）").FillAsync("ABC123");
        await page.GetByLabel("署名用電子証明書のパスワード（確認のためもう一度）").FillAsync("ABC123");
        await page.GetByLabel("利用者証明用電子証明書の暗証番号（回答書から職員が入力）").FillAsync("5678");
        await page.GetByLabel("利用者証明用電子証明書の暗証番号（確認のためもう一度）").FillAsync("5678");
        await page.GetByRole(AriaRole.Button, new() { Name = "確認して交付する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("電子証明書を発行しました", Slow);
        await StaffPage.ShotAsync(page, Test, ++step, "receipt");
        Assert.Equal(InquiryStatus.Completed, (await _server.Store.FindInquiryAsync(inquiry.Reference, default))!.Status);
        Assert.Equal(2, (await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("D04"), default)).Count);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CardWithoutCardPin_RecognisedBeforePins_ClerkSetsItThenIssues()
    {
        const string Test = nameof(CardWithoutCardPin_RecognisedBeforePins_ClerkSetsItThenIssues);
        var slot = await _server.AddResidentWithCardAsync("D05", withCardPin: false);
        var page = await chromium.NewPageAsync();
        var step = 0;
        await StaffPage.LoginAsync(page, _server, "/counter/residents/D05/issue");
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(slot);
        await page.GetByLabel("顔写真付き本人確認書類（カード券面など）で本人を確認しました").CheckAsync();
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "確認へ進む" }).ClickAsync(), r => r.Url.Contains("/issue/confirm", StringComparison.Ordinal));

        Assert.Equal(422, response.Status); // a refusal, never a 500
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("券面事項入力補助用の暗証番号がまだ設定されていません");
        Assert.Equal(0, await page.GetByLabel("券面事項入力補助用の暗証番号（数字4桁）").CountAsync());
        await StaffPage.ShotAsync(page, Test, ++step, "card-pin-not-set");

        await page.GetByRole(AriaRole.Link, new() { Name = "暗証番号の初期化（券面事項入力補助用の暗証番号を設定する）へ" }).ClickAsync();
        Assert.Equal(nameof(PinKind.CardPin), await page.GetByLabel("初期化する暗証番号").InputValueAsync());
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(slot);
        await page.GetByLabel("顔写真付き本人確認書類で本人を確認しました").CheckAsync();
        await page.GetByLabel("新しい暗証番号（申請者ご本人が入力）").FillAsync("2468");
        await page.GetByLabel("新しい暗証番号（確認）").FillAsync("2468");
        await StaffPage.ShotAsync(page, Test, ++step, "set-card-pin");
        await page.GetByRole(AriaRole.Button, new() { Name = "初期化する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("券面事項入力補助用の暗証番号（数字4桁）を初期化しました");
        using (var card = VirtualCard.Open(_server.CardPath("D05")))
        {
            Assert.True(card.IsPinSet(PinKind.CardPin));
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "電子証明書の発行・更新" }).ClickAsync();
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(slot);
        await page.GetByLabel("顔写真付き本人確認書類（カード券面など）で本人を確認しました").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "確認へ進む" }).ClickAsync();
        await StaffPage.FillIssuePinsAsync(page, cardPin: "2468");
        await page.GetByRole(AriaRole.Button, new() { Name = "発行する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("電子証明書を発行しました", Slow);
        await StaffPage.ShotAsync(page, Test, ++step, "issued");
        Assert.Equal(2, (await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("D05"), default)).Count);
        await page.Context.CloseAsync();
    }

    private async Task<IReadOnlyList<JournalEntry>> IssuancesAsync(string resident) =>
        [.. (await _server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default)).Where(e => e.Action == CounterActions.Issue && e.ResidentId == resident && e.Outcome == JournalEntry.Ok)];
}
