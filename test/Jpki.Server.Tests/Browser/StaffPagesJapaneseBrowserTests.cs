using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Staff;
using Jpki.Server.Tests.Counter;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jpki.Server.Tests.Browser;

/// <summary>
/// Every staff page in Japanese: the GET routes of the staff pages are taken from the server's endpoint table (a page
/// added later is walked too, or the test names the route value it lacks), each is opened in Chromium as a supervisor
/// with data behind it (a resident with certificates, a receipt, a proxy application, an import with bad lines, every
/// kind of journal entry, a closed day), screenshotted, and its title, visible text, drop-down options, button values, placeholders, titles and
/// ARIA labels are searched for English words (allow-list: product and format names such as CSV, PDF, Shift_JIS).
/// The CSV downloads' headers and lines are searched the same way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StaffPagesJapaneseBrowserTests(Chromium chromium) : IAsyncLifetime
{
    private const string Test = nameof(EveryStaffPage_NoEnglishWords_ScreenshotsKept);

    /// <summary>Routes not walked, with the reason.</summary>
    private static readonly Dictionary<string, string> NotWalked = new(StringComparer.Ordinal)
    {
        // The online application's request detail and its signed files need a request signed by a card; the list is
        // walked here and the detail page is driven in Browser/OnlineApplicationBrowserTests.
        ["/e-application/staff/{receipt}"] = "signed request needed",
        ["/e-application/staff/{receipt}/request.json"] = "a JSON file, not a page",
        ["/e-application/staff/{receipt}/request.json.p7s"] = "a signature file, not a page",
        ["/e-application/staff/{receipt}/signature"] = "the kept signature file (CMS, XML or PDF), not a page",
        ["/e-application/staff/{receipt}/verify"] = "signed request needed; the re-verification page is checked in OnlineApplication/EApplicationFormatsTests",
    };

    private readonly CounterServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task EveryStaffPage_NoEnglishWords_ScreenshotsKept()
    {
        var slot = await _server.AddResidentWithCardAsync("W01", name: "髙橋　一郎");
        var inquiry = (await _server.Web.Proxy.RecordRequestAsync(StaffAccount.Clerk("clerk1"), new ProxyRequest("W01", "代理　三郎", "運転免許証", true, true, true), default)).Value!;
        var page = await chromium.NewPageAsync();
        var failures = new List<string>();
        var step = 0;

        await page.GotoAsync(_server.BaseAddress + "counter");
        await CheckAsync(page, ++step, "staff-login", failures);
        await StaffPage.LoginAsync(page, _server, "/counter/residents/W01/issue", "super1");

        // Data behind the pages: an issuance through the page (its receipt), a register with bad lines (its import page).
        await page.GetByLabel("カード（読み取り機）").SelectOptionAsync(slot);
        await page.GetByLabel("顔写真付き本人確認書類（カード券面など）で本人を確認しました").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "確認へ進む" }).ClickAsync();
        await StaffPage.FillIssuePinsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "発行する" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("電子証明書を発行しました", new() { Timeout = 120_000 });
        var submission = LastSegment(page.Url);
        await page.GotoAsync(_server.BaseAddress + "counter/import");
        await page.GetByLabel("CSVファイル").SetInputFilesAsync(new FilePayload
        {
            Name = "bad.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(Jpki.Municipality.Residents.ResidentCsv.JapaneseHeader + "\r\nE1,山田　太郎,ヤマダ　タロウ,東京都千代田区,1980-02-30,1,0,H1\r\nE2,山田　花子,ヤマダ　ハナコ,東京都千代田区,1981-01-01,3,0\r\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "取り込む" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("誤りのある行が 2 行あります", new() { Timeout = 60_000 });
        var job = LastSegment(page.Url);

        // Every other kind of journal entry, so that the journal's 内容 (page and CSV) is checked for each: a move, a PIN
        // reset, an edit, a revocation, and a refusal.
        var other = await _server.AddResidentWithCardAsync("W02");
        using (var api = await _server.ClientAsync("super1"))
        {
            await OkAsync(api.Http.PostAsJsonAsync("/api/counter/residents/W02/changes", new { kind = 1, newAddress = "東京都千代田区一ツ橋２－２" }));
            await OkAsync(api.Http.PostAsJsonAsync("/api/counter/pin-reset", new { residentId = "W02", cardSlot = other, identityChecked = true, kind = 2, newPin = "4321" }));
            await OkAsync(api.Http.PatchAsJsonAsync("/api/counter/residents/W02", new { nameKana = "ヤマダ　イチロウ" }));
            await OkAsync(api.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "W01", identityChecked = true, kinds = new[] { 1 } }));
            using var refused = await api.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "W02", identityChecked = true, kinds = new[] { 1 } });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = "W01", ["submission"] = submission, ["reference"] = inquiry.Reference, ["job"] = job };
        var routes = _server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => e.RoutePattern.RawText!)
            .Where(t => t.StartsWith("/counter", StringComparison.Ordinal) || t.StartsWith("/staff/", StringComparison.Ordinal) || t.StartsWith("/e-application/staff", StringComparison.Ordinal))
            .Where(t => !NotWalked.ContainsKey(t))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(routes.Count >= 25, string.Join(", ", routes));
        var paths = new List<string>();
        foreach (var route in routes)
        {
            var missing = RouteValue().Matches(route).Select(m => m.Groups[1].Value).Where(v => !values.ContainsKey(v)).ToList();
            if (missing.Count > 0)
            {
                failures.Add($"{route}: no value for {string.Join(", ", missing)} (add one to the walk, or a reason to NotWalked)");
                continue;
            }

            paths.Add(RouteValue().Replace(route, m => Uri.EscapeDataString(values[m.Groups[1].Value])));
        }

        // The same pages in the states a clerk meets them: results, a refusal before PINs, a closed day. The results page's
        // address holds the search sealed (names never go into a URL), so it comes from a search through the form.
        await page.GotoAsync(_server.BaseAddress + "counter");
        await page.GetByLabel("住民番号・氏名・フリガナ").FillAsync("高橋");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/counter\?s="));
        Assert.DoesNotContain("%E9%AB%98", page.Url, StringComparison.OrdinalIgnoreCase);
        paths.AddRange([
            new Uri(page.Url).PathAndQuery,
            $"/counter/residents/W01/issue/confirm?step=1&card={Uri.EscapeDataString(slot)}&identity=1&sign=1&auth=1",
            "/counter/residents/W01/pin-reset?kind=CardPin",
        ]);
        foreach (var path in paths)
        {
            var url = _server.BaseAddress + path.TrimStart('/');
            if (path.EndsWith(".csv", StringComparison.Ordinal))
            {
                var response = await page.Context.APIRequest.GetAsync(url);
                var csv = Encoding.UTF8.GetString(await response.BodyAsync()).TrimStart('\uFEFF');
                // Codes (a column of their own, like <code> on the pages) are machine-readable, not words.
                var english = StaffPage.EnglishWords(string.Join('\n', csv.Split(['\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries).Where(f => !Code().IsMatch(f))));
                if (response.Status != 200 || english.Count > 0)
                {
                    failures.Add($"{path}: HTTP {response.Status}, English: {string.Join(", ", english)}");
                }

                continue;
            }

            var answer = await page.GotoAsync(url);
            if (answer is null || !(answer.Headers.TryGetValue("content-type", out var type) && type.StartsWith("text/html", StringComparison.Ordinal)))
            {
                failures.Add($"{path}: not an HTML page ({answer?.Status})");
                continue;
            }

            if (answer.Status >= 500)
            {
                failures.Add($"{path}: HTTP {answer.Status}");
            }

            await CheckAsync(page, ++step, path, failures);
        }

        // After the supervisor's 日次締め, the report reads 締め済み with the chain check.
        await page.GotoAsync(_server.BaseAddress + "counter/report");
        await page.GetByRole(AriaRole.Button, new() { Name = "日次締めを行う" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("日次締めを行いました");
        await CheckAsync(page, ++step, "report-closed", failures);

        Assert.True(failures.Count == 0, "English or failures on staff pages:\n" + string.Join("\n", failures));
        await page.Context.CloseAsync();
    }

    private static async Task CheckAsync(IPage page, int step, string name, List<string> failures)
    {
        await Chromium.ScreenshotAsync(page, Test, step, name);
        var english = await StaffPage.EnglishWordsAsync(page);
        if (english.Count > 0)
        {
            failures.Add($"{name} (screenshot {step:D2}): {string.Join(", ", english)}");
        }
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string LastSegment(string url) => new Uri(url).AbsolutePath.Split('/')[^1];

    [GeneratedRegex(@"^[a-z0-9]+([-.][a-z0-9]+)*$")]
    private static partial Regex Code();

    [GeneratedRegex(@"\{(\w+)[^}]*\}")]
    private static partial Regex RouteValue();
}
