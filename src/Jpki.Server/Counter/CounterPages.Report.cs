using Jpki.Core.Rules;
using System.Globalization;
using System.Text;
using Jpki.Core.Time;
using Jpki.Municipality.Reports;
using Jpki.Server.Staff;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>
/// 日報: the counts of a business day with Japanese labels, its journal, the check of the journal's hash chain, the
/// supervisor's 日次締め (which seals the day: later actions count for the next day), and both as CSV files with Japanese
/// headers (UTF-8 with a byte-order mark, as spreadsheet programs in Japan expect).
/// </summary>
internal static partial class CounterPages
{
    private static void MapReport(RouteGroupBuilder pages)
    {
        pages.MapGet("/report", async (HttpContext http, CounterOperations ops, TimeProvider clock, string? date, string? notice) =>
            await ReportPageAsync(http, ops, ParseDay(date, clock), clock, await NoticeAsync(http, notice).ConfigureAwait(false), null, StatusCodes.Status200OK).ConfigureAwait(false));
        pages.MapPost("/report/close", async (HttpContext http, CounterOperations ops, TimeProvider clock) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var day = ParseDay(form["date"].ToString(), clock);
            var iso = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return await Tokens(http).SubmitAsync(http, form, "close:" + iso,
                (message, status) => ReportPageAsync(http, ops, day, clock, null, message, status),
                async (submission, ct) =>
                {
                    var outcome = await ops.CloseDayAsync(CounterApi.Staff(http), day, ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? new FormOutcome.Done($"/counter/report?date={iso}&notice={submission}", $"{Html.Date(day)}の日次締めを行いました。この日の記録は封印され、これ以降の処理は翌日以降の日報に計上されます。")
                        : Refused(outcome.Refusal!);
                }).ConfigureAwait(false);
        }).RequireAuthorization(StaffPolicies.Supervisor);
        pages.MapGet("/report.csv", async (HttpContext http, CounterOperations ops, TimeProvider clock, string? date) =>
        {
            var day = ParseDay(date, clock);
            var report = await ops.DailyReportAsync(day, http.RequestAborted).ConfigureAwait(false);
            var csv = new StringBuilder("日付,処理,結果,件数\r\n");
            foreach (var line in report.Lines)
            {
                csv.Append(IsoDate(day)).Append(',').Append(CsvField(CounterActions.JapaneseName(line.Action))).Append(',').Append(CsvField(OutcomeName(line.Outcome)))
                    .Append(',').Append(line.Count.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }

            csv.Append(IsoDate(day)).Append(",発行した電子証明書,,").Append(report.CertificatesIssued.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
                .Append(IsoDate(day)).Append(",手数料（円）,,").Append(report.FeesYen.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            return CsvFile(csv, $"日報-{IsoDate(day)}.csv");
        });
        pages.MapGet("/journal.csv", async (HttpContext http, CounterOperations ops, TimeProvider clock, string? date) =>
        {
            var day = ParseDay(date, clock);
            var entries = await ops.Web.Store.ListJournalDayAsync(day, http.RequestAborted).ConfigureAwait(false);
            var csv = new StringBuilder("番号,日時,業務日,職員,処理,住民番号,カード番号,結果,内容,手数料（円）\r\n");
            foreach (var e in entries)
            {
                csv.Append(e.Sequence.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Html.Time(e.At)).Append(',').Append(IsoDate(e.Day ?? day)).Append(',')
                    .Append(CsvField(e.StaffId)).Append(',').Append(CsvField(CounterActions.JapaneseName(e.Action))).Append(',').Append(CsvField(e.ResidentId)).Append(',')
                    .Append(CsvField(e.CardId)).Append(',').Append(CsvField(OutcomeName(e.Outcome))).Append(',').Append(CsvField(JournalText.Japanese(e))).Append(',')
                    .Append(e.FeeYen.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }

            return CsvFile(csv, $"記録-{IsoDate(day)}.csv");
        });
    }

    private static async Task<IResult> ReportPageAsync(HttpContext http, CounterOperations ops, DateOnly day, TimeProvider clock, string? notice, string? message, int status)
    {
        var report = await ops.DailyReportAsync(day, http.RequestAborted).ConfigureAwait(false);
        var entries = await ops.Web.Store.ListJournalDayAsync(day, http.RequestAborted).ConfigureAwait(false);
        var verification = await ops.Web.Store.VerifyJournalAsync(http.RequestAborted).ConfigureAwait(false);
        var iso = IsoDate(day);
        var body = new StringBuilder(Html.Notice(notice)).Append(message ?? string.Empty);
        body.Append("<form method=\"get\" action=\"/counter/report\">").Append(Html.Field("date", "日付", "date", iso)).Append("<p><button type=\"submit\">表示</button></p></form>")
            .Append("<h2>").Append(Html.Date(day)).Append("</h2>")
            .Append("<p>発行した電子証明書：<strong>").Append(report.CertificatesIssued).Append("件</strong>　手数料：<strong>").Append(Html.Yen(report.FeesYen)).Append("</strong></p>")
            .Append(report.Lines.Count == 0 ? "<p>この日の処理はありません。</p>" : Html.Table(["処理", "結果", "件数"], report.Lines.Select(l => (IEnumerable<string>)
                [Html.E(CounterActions.JapaneseName(l.Action)), Html.E(OutcomeName(l.Outcome)), l.Count.ToString(CultureInfo.InvariantCulture)]), "処理件数"))
            .Append($"<p><a href=\"/counter/report.csv?date={iso}\">日報をCSVでダウンロード</a>　<a href=\"/counter/journal.csv?date={iso}\">この日の記録をCSVでダウンロード</a></p>");
        body.Append("<h2>記録の改ざん検査</h2>").Append(verification.Intact
            ? $"<p>正常：記録 {Count((int)verification.Checked)} 件のハッシュの連鎖と、締め済みの日の封印がすべて一致しました。</p>"
            : Html.Error("journal-broken", "記録の改ざんまたは欠落を検出しました：" + verification.Problem));
        if (report.Closed is { } closed)
        {
            body.Append("<p>締め済み：").Append(Html.Time(closed.ClosedAt)).Append("（").Append(Html.E(closed.StaffId)).Append("）。この日の記録 ").Append(closed.Entries)
                .Append(" 件は封印されています").Append(closed.HeadHash.Length > 0 ? $"（記録 {closed.LastSequence} までのハッシュ <code>{Html.E(closed.HeadHash[..16])}…</code>）" : string.Empty)
                .Append("。これ以降の処理は翌日以降の日報に計上されます。</p>");
        }
        else if (day > JapanTime.Today(clock))
        {
            body.Append("<p>この日はまだ来ていません。</p>");
        }
        else if (http.User.IsInRole(StaffClaims.SupervisorRole))
        {
            body.Append(FormStart(http, "/counter/report/close", "close:" + iso)).Append(Html.Hidden("date", iso))
                .Append("<p>日次締めを行うと、この日の記録は封印され、変更できなくなります。以後の処理は翌日以降の日報に計上されます。</p>")
                .Append("<p><button type=\"submit\">日次締めを行う</button></p></form>");
        }
        else
        {
            body.Append("<p>日次締めは監督者が行います。</p>");
        }

        body.Append("<h2>この日の記録</h2>").Append(entries.Count == 0 ? "<p>記録はありません。</p>" : Html.Table(
            ["番号", "日時", "職員", "処理", "住民番号", "結果", "内容"],
            entries.Select(e => (IEnumerable<string>)
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), Html.Time(e.At), Html.E(e.StaffId), Html.E(CounterActions.JapaneseName(e.Action)),
                Html.E(e.ResidentId), Html.E(OutcomeName(e.Outcome)), Html.E(JournalText.Japanese(e)),
            ]),
            "この日の記録"));
        return Layout.Page(http, "日報", body.ToString(), status);
    }

    /// <summary>An outcome in a report: 完了, 失敗, or the short Japanese name of the refusal.</summary>
    internal static string OutcomeName(string outcome) => outcome switch
    {
        JournalEntry.Ok => "完了",
        JournalEntry.Failed => "失敗（障害）",
        "rejected" => "取込できず",
        _ => "受付できず：" + RefusalText.Short(outcome),
    };

    private static IResult CsvFile(StringBuilder csv, string name) =>
        Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", name);

    private static string IsoDate(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string? text, TimeProvider clock) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : JapanTime.Today(clock);
}
