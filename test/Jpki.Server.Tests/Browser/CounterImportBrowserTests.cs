using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jpki.Municipality.Residents;
using Jpki.Server.Tests.Counter;
using Jpki.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Jpki.Server.Tests.Browser;

/// <summary>
/// A whole register through the staff page in Chromium: 100,000 residents in Shift_JIS (CP932, written by glibc's iconv
/// as a municipal system exports it, CRLF), detected, imported in one transaction with the progress page, then searched:
/// the true count and the pages, variants folded (高橋 finds 髙橋). Then a file with bad lines: every line reported in
/// Japanese, nothing imported. The time of the import is written to the test output (docs/benchmarks-counter-web.md).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CounterImportBrowserTests(Chromium chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Residents = 100_000;
    private static readonly string[] FamilyNames = ["山田", "佐藤", "髙橋", "鈴木", "渡邊", "伊藤", "山\uFA11", "中村", "小林", "加藤"];
    private static readonly string[] Readings = ["ヤマダ", "サトウ", "タカハシ", "スズキ", "ワタナベ", "イトウ", "ヤマサキ", "ナカムラ", "コバヤシ", "カトウ"];
    private readonly CounterServer _server = new();
    private readonly string _files = Path.Combine(Path.GetTempPath(), "jpki-import-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_files);
        return _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    [Fact]
    public async Task Import_HundredThousandShiftJisResidentsThroughThePage_ThenSearchCountsAndPages()
    {
        const string Test = nameof(Import_HundredThousandShiftJisResidentsThroughThePage_ThenSearchCountsAndPages);
        var file = Path.Combine(_files, "register-cp932.csv");
        WriteShiftJis(file, Register());
        var page = await chromium.NewPageAsync();
        var step = 0;
        await StaffPage.LoginAsync(page, _server, "/counter/import");
        await page.GetByLabel("CSVファイル").SetInputFilesAsync(file);
        await StaffPage.ShotAsync(page, Test, ++step, "import-form");

        var watch = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "取り込む" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("100,000件を取り込みました", new() { Timeout = 300_000 });
        watch.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"100,000 residents, {new FileInfo(file).Length / 1024d / 1024d:0.0} MB Shift_JIS: {watch.Elapsed.TotalSeconds:0.0} s from the click to the result page; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        Assert.Contains("Shift_JIS", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "imported");
        Assert.Equal(Residents, await _server.Store.CountResidentsAsync(new ResidentQuery("タロウ", Limit: 1), default));
        Assert.Equal("渡邊　太郎4", (await _server.Store.FindResidentAsync("R000004", default))!.Name);

        // Search: 高橋 finds the register's 髙橋 (10,000 of them), with the true count and pages of 50.
        await page.GotoAsync(_server.BaseAddress + "counter");
        await page.GetByLabel("住民番号・氏名・フリガナ").FillAsync("高橋");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "検索結果（10,000件）" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("10,000件中 1〜50件目");
        Assert.Equal(51, await page.GetByRole(AriaRole.Table, new() { Name = "検索結果" }).GetByRole(AriaRole.Row).CountAsync());
        Assert.Contains("髙橋", await page.GetByRole(AriaRole.Table, new() { Name = "検索結果" }).InnerTextAsync(), StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "search-page-1");
        await page.GetByRole(AriaRole.Link, new() { Name = "次の50件" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("10,000件中 51〜100件目");
        await page.GetByRole(AriaRole.Link, new() { Name = "200", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("10,000件中 9,951〜10,000件目");
        await StaffPage.ShotAsync(page, Test, ++step, "search-last-page");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Import_BadLines_EveryLineInJapaneseWithItsNumber_NothingImported()
    {
        const string Test = nameof(Import_BadLines_EveryLineInJapaneseWithItsNumber_NothingImported);
        var file = Path.Combine(_files, "bad-cp932.csv");
        WriteShiftJis(file, ResidentCsv.JapaneseHeader + "\r\n"
            + "E1,山田　太郎,ヤマダ　タロウ,東京都千代田区,1980-02-30,1,0,H1\r\n"
            + "E2,山田　花子,ヤマダ　ハナコ,東京都千代田区,1981-01-01,3,0,H1\r\n"
            + "E3,山田　次郎,ヤマダ　ジロウ,東京都千代田区,1982-01-01,1,0\r\n"
            + "E4,山田　三郎,ヤマダ　サブロウ,東京都千代田区,1983-01-01,1,0,H1\r\n");
        var page = await chromium.NewPageAsync();
        var step = 0;
        await StaffPage.LoginAsync(page, _server, "/counter/import");
        await page.GetByLabel("CSVファイル").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "取り込む" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("誤りのある行が 3 行あります", new() { Timeout = 60_000 });

        var rows = await page.GetByRole(AriaRole.Table, new() { Name = "誤りのある行" }).InnerTextAsync();
        Assert.Contains("2\t生年月日（date_of_birth）は実在する日付", rows, StringComparison.Ordinal);
        Assert.Contains("3\t性別（sex）", rows, StringComparison.Ordinal);
        Assert.Contains("4\t項目が7個あります", rows, StringComparison.Ordinal);
        await StaffPage.ShotAsync(page, Test, ++step, "errors");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "誤りのある行の一覧（CSV）をダウンロード" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), Encoding.UTF8);
        Assert.StartsWith("行,コード,内容", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Null(await _server.Store.FindResidentAsync("E4", default));
        await page.Context.CloseAsync();
    }

    private static string Register()
    {
        var csv = new StringBuilder(Residents * 110).Append(ResidentCsv.JapaneseHeader).Append("\r\n");
        for (var i = 0; i < Residents; i++)
        {
            var family = i % FamilyNames.Length;
            csv.Append(CultureInfo.InvariantCulture, $"R{i:D6},{FamilyNames[family]}　太郎{i % 97},{Readings[family]}　タロウ,東京都千代田区千代田１－{i % 500 + 1}－{i % 37 + 1},{1940 + (i % 80)}-{i % 12 + 1:D2}-{i % 28 + 1:D2},{i % 2 + 1},0,H{i / 3:D6}\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Shift_JIS as Windows writes it, by glibc's iconv (not our encoder).</summary>
    private static void WriteShiftJis(string path, string text) => File.WriteAllBytes(path, Iconv.Encode(text, "CP932"));
}
