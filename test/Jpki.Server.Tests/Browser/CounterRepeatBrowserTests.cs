using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Pins;
using Jpki.Municipality.Reports;
using Jpki.Server.Tests.Counter;
using Microsoft.Playwright;

namespace Jpki.Server.Tests.Browser;

/// <summary>
/// The habits that repeat a request, in real Chromium where they were tested over plain HTTP before: F5 on the page a
/// refused POST answered (Chromium sends the same form again), Back to a sent form and sending it again, and a double
/// click on 日次締め followed by F5. Each asserts what the clerk sees and what is stored. One server for the class.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CounterRepeatBrowserTests(Chromium chromium, CounterRepeatBrowserTests.Server server) : IClassFixture<CounterRepeatBrowserTests.Server>
{
    [Fact]
    public async Task RefusedIssuance_F5SendsTheFormAgain_SameRefusalShown_CardPinTriedOnce()
    {
        const string Test = nameof(RefusedIssuance_F5SendsTheFormAgain_SameRefusalShown_CardPinTriedOnce);
        var slot = await server.AddResidentWithCardAsync("P01");
        var page = await chromium.NewPageAsync();
        await StaffPage.LoginAsync(page, server, "/counter/residents/P01/issue");
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(slot);
        await page.GetByLabel("顔写真付き本人確認書類（カード券面など）で本人を確認しました").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "確認へ進む" }).ClickAsync();
        await StaffPage.FillIssuePinsAsync(page, cardPin: "9999");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "発行する" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/issue/confirm", StringComparison.Ordinal));
        Assert.Equal(422, refused.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("残り 2 回");
        await StaffPage.ShotAsync(page, Test, 1, "wrong-card-pin");

        // F5 on the answer to a POST: Chromium posts the same body (and the same one-time token) again.
        var again = await page.RunAndWaitForResponseAsync(
            () => page.ReloadAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/issue/confirm", StringComparison.Ordinal));
        Assert.Equal(422, again.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("残り 2 回"); // not 1: the card was not asked again
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1回目の結果を表示しています");
        await StaffPage.ShotAsync(page, Test, 2, "reload-shows-first-refusal");
        using (var card = VirtualCard.Open(server.CardPath("P01")))
        {
            using var transport = new InProcessTransport(card);
            Assert.Equal(2, new JpkiCardClient(transport).GetTriesLeft(PinKind.CardPin)); // asked over APDUs, as a reader would

        }

        Assert.Single(await server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default), e => e.Action == CounterActions.Issue && e.ResidentId == "P01");
        Assert.Empty(await server.Web.Issuer.FindByHolderAsync(new HolderId("P01"), default));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ChangeRegistered_BackAndSendAgain_RefusedAsAlreadyRegistered_StoredOnce()
    {
        const string Test = nameof(ChangeRegistered_BackAndSendAgain_RefusedAsAlreadyRegistered_StoredOnce);
        await server.AddResidentWithCardAsync("P02");
        var page = await chromium.NewPageAsync();
        await StaffPage.LoginAsync(page, server, "/counter/residents/P02");
        await page.GetByLabel("異動の種類").SelectOptionAsync("MoveWithin");
        await page.GetByLabel("新しい住所・氏名、または紛失したカード番号").FillAsync("東京都千代田区永田町１－７");
        await page.GetByRole(AriaRole.Button, new() { Name = "届出を登録する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("異動を登録し");

        // Back: staff pages are never cached (no-store), so Chromium fetches the form again (a fresh one-time token) and puts
        // back what was typed. Sent again, it is judged afresh: the move is already registered, so it is refused in
        // Japanese and nothing is stored twice (no second change record, no second revocation).
        await page.GoBackAsync();
        Assert.Equal("MoveWithin", await page.GetByLabel("異動の種類").InputValueAsync());
        Assert.Equal("東京都千代田区永田町１－７", await page.GetByLabel("新しい住所・氏名、または紛失したカード番号").InputValueAsync());
        await StaffPage.ShotAsync(page, Test, 1, "back");
        await page.GetByRole(AriaRole.Button, new() { Name = "届出を登録する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("現在の登録内容と同じです");
        Assert.Contains("東京都千代田区永田町１－７", await page.GetByRole(AriaRole.Table).First.InnerTextAsync(), StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, 2, "sent-again-refused");
        Assert.Single(await server.Store.ListChangesAsync("P02", default));
        Assert.Single(await server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default), e => e.Action == CounterActions.RegistryChange && e.ResidentId == "P02" && e.Outcome == JournalEntry.Ok);
        Assert.Equal("東京都千代田区永田町１－７", (await server.Store.FindResidentAsync("P02", default))!.Address);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DayClose_DoubleClickThenF5_ClosedOnceAndTheReportSaysSo()
    {
        const string Test = nameof(DayClose_DoubleClickThenF5_ClosedOnceAndTheReportSaysSo);
        var day = new DateOnly(2026, 6, 9); // a day of its own: the other tests of the class work on 10 June
        var page = await chromium.NewPageAsync();
        await StaffPage.LoginAsync(page, server, "/counter/report?date=2026-06-09", "super1");
        await StaffPage.ShotAsync(page, Test, 1, "report-open");
        await page.GetByRole(AriaRole.Button, new() { Name = "日次締めを行う" }).DblClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("日次締めを行いました");
        await Assertions.Expect(page.GetByText("締め済み").First).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "日次締めを行う" }).CountAsync());
        await StaffPage.ShotAsync(page, Test, 2, "closed");

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("日次締めを行いました");
        Assert.Equal("super1", (await server.Store.FindDayCloseAsync(day, default))!.StaffId);
        var closes = (await server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default)).Concat(await server.Store.ListJournalDayAsync(day, default))
            .Where(e => e.Action == CounterActions.DayClose).ToList();
        Assert.Single(closes);
        await page.Context.CloseAsync();
    }

    /// <summary>The server of the class (the embedded default, clerk1 and super1).</summary>
    public sealed class Server : CounterServer;
}
