using System.Globalization;
using System.Text;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Proxy;
using Jpki.Server.Staff;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>The proxy queue (visit 1 → printable inquiry letter → visit 2) and the daily report with its close.</summary>
internal static partial class CounterPages
{
    private static void MapProxy(RouteGroupBuilder pages)
    {
        pages.MapGet("/proxy", async (HttpContext http, CounterOperations ops) =>
        {
            var open = await ops.Web.Store.ListInquiriesAsync(InquiryStatus.Open, 200, http.RequestAborted).ConfigureAwait(false);
            var body = new StringBuilder();
            body.Append("<ul><li><a href=\"/counter/proxy/new\">1回目の来庁：代理人申請の受付（照会書の作成）</a></li>")
                .Append("<li><a href=\"/counter/proxy/visit\">2回目の来庁：回答書の確認と交付</a></li></ul>")
                .Append("<h2>回答待ちの照会書（").Append(open.Count).Append("件）</h2>")
                .Append(open.Count == 0 ? "<p>回答待ちの照会書はありません。</p>" : Html.Table(
                    ["照会番号", "申請者", "代理人", "照会書の日付", "回答期限", "照会書"],
                    open.Select(i => (IEnumerable<string>)
                    [
                        $"<code>{Html.E(i.Reference)}</code>", $"<a href=\"/counter/residents/{Uri.EscapeDataString(i.ResidentId)}\">{Html.E(i.AddresseeName)}</a>",
                        Html.E(i.ProxyName), Html.Date(i.IssuedOn), Html.Date(i.AnswerDeadline),
                        $"<a href=\"/counter/proxy/{Html.E(i.Reference)}/letter\">印刷用</a>",
                    ]),
                    "回答待ちの照会書"));
            return Layout.Page(http, "代理人申請", body.ToString());
        });

        pages.MapGet("/proxy/new", (HttpContext http, string? resident) => ProxyRequestPage(http, resident, null));
        pages.MapPost("/proxy/new", async (HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var request = new ProxyRequest(form["resident"].ToString(), form["proxyName"].ToString(), form["proxyId"].ToString(), form["proxyIdChecked"] == "1", form["application"] == "1", form["attorney"] == "1");
            var outcome = await ops.Web.Proxy.RecordRequestAsync(CounterApi.Staff(http), request, http.RequestAborted).ConfigureAwait(false);
            if (!outcome.IsAllowed)
            {
                return ProxyRequestPage(http, request.ResidentId, Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message)));
            }

            var i = outcome.Value!;
            var body = new StringBuilder();
            body.Append("<div class=\"ok\" role=\"status\">代理人申請を受け付け、照会書を作成しました。照会書を申請者の住所へ郵送してください。即日交付はできません。</div>")
                .Append(Html.Table(["項目", "内容"],
                [
                    ["照会番号", $"<code>{Html.E(i.Reference)}</code>"], ["申請者", Html.E(i.AddresseeName)], ["送付先", Html.E(i.AddresseeAddress)],
                    ["代理人", Html.E(i.ProxyName)], ["回答期限", Html.Date(i.AnswerDeadline)],
                ]))
                .Append($"<p><a href=\"/counter/proxy/{Html.E(i.Reference)}/letter\">照会書を印刷する</a></p>")
                .Append("<p><a href=\"/counter/proxy\">代理人申請の一覧へ</a></p>");
            return Layout.Page(http, "照会書を作成しました", body.ToString());
        }).RequireCsrf();

        pages.MapGet("/proxy/{reference}/letter", async (string reference, HttpContext http, CounterOperations ops) =>
        {
            var normal = InquiryReference.Normalise(reference);
            var inquiry = normal is null ? null : await ops.Web.Store.FindInquiryAsync(normal, http.RequestAborted).ConfigureAwait(false);
            if (inquiry is null)
            {
                return Layout.Page(http, "照会書が見つかりません", Html.Error(CounterCodes.ProxyReferenceUnknown, RefusalText.For(CounterCodes.ProxyReferenceUnknown, null)), StatusCodes.Status404NotFound);
            }

            var letter = InquiryLetter.From(inquiry);
            var body = new StringBuilder();
            body.Append("<p class=\"noprint\"><button type=\"button\" onclick=\"window.print()\">印刷</button>");
            if (ops.Web.LetterPdf is not null)
            {
                body.Append($" <a href=\"/api/counter/proxy/requests/{Html.E(letter.Reference)}/letter\">PDFをダウンロード</a>");
            }

            body.Append("</p><article aria-label=\"照会書\"><p>照会番号 <code>").Append(Html.E(letter.Reference)).Append("</code>　")
                .Append(Html.Date(letter.RequestedOn)).Append("</p><p>").Append(Html.E(letter.AddresseeAddress)).Append("<br>")
                .Append(Html.E(letter.AddresseeName)).Append(" 様</p>");
            foreach (var line in letter.Instructions)
            {
                body.Append("<p>").Append(Html.E(line)).Append("</p>");
            }

            body.Append("<h2>回答書</h2><p>照会番号 <code>").Append(Html.E(letter.Reference)).Append("</code></p>")
                .Append("<p>上記の代理人申請は、私の意思によるものです。　署名：＿＿＿＿＿＿＿＿＿＿</p><ul>");
            foreach (var field in letter.AnswerFields)
            {
                body.Append("<li>").Append(Html.E(field)).Append("：［　　　　　　　　　］（目隠しシール）</li>");
            }

            body.Append("</ul></article>");
            return Layout.Page(http, "照会書（電子証明書の代理人申請）", body.ToString());
        });

        pages.MapGet("/proxy/visit", async (HttpContext http, CounterOperations ops) => await ProxyVisitPageAsync(http, ops, null, null).ConfigureAwait(false));
        pages.MapPost("/proxy/visit", async (HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var includeSign = form["sign"] == "1";
            var includeAuth = form["auth"] == "1";
            var body = new CounterJson.ProxyVisitBody(
                form["reference"].ToString(), form["card"].ToString(), form["proxyIdChecked"] == "1", form["sealIntact"] == "1", form["cardPin"].ToString(),
                includeSign ? form["signPassword"].ToString() : null, includeAuth ? form["authPin"].ToString() : null, includeSign, includeAuth);
            var outcome = await ops.CompleteProxyAsync(CounterApi.Staff(http), body, http.RequestAborted).ConfigureAwait(false);
            return outcome.IsAllowed
                ? Layout.Page(http, "交付（控え）", ReceiptHtml(outcome.Value!) + "<p class=\"noprint\"><a href=\"/counter/proxy\">代理人申請の一覧へ</a></p>")
                : await ProxyVisitPageAsync(http, ops, form["reference"].ToString(), Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message))).ConfigureAwait(false);
        }).RequireCsrf();
    }

    private static IResult ProxyRequestPage(HttpContext http, string? resident, string? error)
    {
        var body = new StringBuilder(error ?? string.Empty);
        body.Append("<form method=\"post\" action=\"/counter/proxy/new\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(Html.Field("resident", "申請者の住民番号", value: resident, required: true))
            .Append(Html.Field("proxyName", "代理人の氏名", required: true))
            .Append(Html.Field("proxyId", "代理人の本人確認書類の種類（例：運転免許証）", required: true))
            .Append(Html.Check("proxyIdChecked", "代理人の顔写真付き本人確認書類を確認しました"))
            .Append(Html.Check("application", "申請者の申請書があります"))
            .Append(Html.Check("attorney", "委任状があります"))
            .Append("<p><button type=\"submit\">受け付けて照会書を作成する</button></p></form>");
        return Layout.Page(http, "代理人申請の受付（1回目）", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ProxyVisitPageAsync(HttpContext http, CounterOperations ops, string? reference, string? error)
    {
        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder(error ?? string.Empty);
        body.Append("<form method=\"post\" action=\"/counter/proxy/visit\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(Html.Field("reference", "照会番号（回答書に記載の16桁）", value: reference, required: true, extra: "inputmode=\"numeric\""))
            .Append(CardSelect(slots))
            .Append(Html.Check("proxyIdChecked", "代理人の顔写真付き本人確認書類を再度確認しました"))
            .Append(Html.Check("sealIntact", "回答書の目隠しシールがはがされていないことを確認して開封しました"))
            .Append(Html.Check("sign", "署名用電子証明書", true)).Append(Html.Check("auth", "利用者証明用電子証明書", true))
            .Append(Html.Field("cardPin", "券面事項入力補助用の暗証番号（代理人が入力）", "password", required: true, extra: "autocomplete=\"off\" inputmode=\"numeric\""))
            .Append(Html.Field("signPassword", "署名用電子証明書のパスワード（回答書から職員が入力）", "password", extra: "autocomplete=\"off\""))
            .Append(Html.Field("authPin", "利用者証明用電子証明書の暗証番号（回答書から職員が入力）", "password", extra: "autocomplete=\"off\" inputmode=\"numeric\""))
            .Append("<p><button type=\"submit\">確認して交付する</button></p></form>");
        return Layout.Page(http, "代理人への交付（2回目）", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static void MapReport(RouteGroupBuilder pages)
    {
        pages.MapGet("/report", async (HttpContext http, CounterOperations ops, TimeProvider clock, string? date) =>
            await ReportPageAsync(http, ops, ParseDay(date, clock), null, null).ConfigureAwait(false));
        pages.MapPost("/report/close", async (HttpContext http, CounterOperations ops, TimeProvider clock) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var day = ParseDay(form["date"].ToString(), clock);
            var outcome = await ops.CloseDayAsync(CounterApi.Staff(http), day, http.RequestAborted).ConfigureAwait(false);
            return await ReportPageAsync(http, ops, day, outcome.IsAllowed ? null : Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message)), outcome.IsAllowed ? "日次締めを行いました。" : null).ConfigureAwait(false);
        }).RequireAuthorization(StaffPolicies.Supervisor).RequireCsrf();
    }

    private static async Task<IResult> ReportPageAsync(HttpContext http, CounterOperations ops, DateOnly day, string? error, string? done)
    {
        var report = await ops.DailyReportAsync(day, http.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder(error ?? string.Empty);
        if (done is not null)
        {
            body.Append("<div class=\"ok\" role=\"status\">").Append(Html.E(done)).Append("</div>");
        }

        var iso = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        body.Append("<form method=\"get\" action=\"/counter/report\">").Append(Html.Field("date", "日付", "date", iso)).Append("<p><button type=\"submit\">表示</button></p></form>")
            .Append("<h2>").Append(Html.Date(day)).Append("</h2>")
            .Append("<p>発行した電子証明書：<strong>").Append(report.CertificatesIssued).Append("件</strong>　手数料：<strong>").Append(Html.Yen(report.FeesYen)).Append("</strong></p>")
            .Append(report.Lines.Count == 0 ? "<p>この日の処理はありません。</p>" : Html.Table(["処理", "結果", "件数"], report.Lines.Select(l => (IEnumerable<string>)
                [Html.E(l.Action), Html.E(l.Outcome == "ok" ? "完了" : l.Outcome), l.Count.ToString(CultureInfo.InvariantCulture)]), "処理件数"));
        if (report.Closed is { } closed)
        {
            body.Append("<p>締め済み：").Append(Html.Time(closed.ClosedAt)).Append("（").Append(Html.E(closed.StaffId)).Append("）</p>");
        }
        else if (http.User.IsInRole(StaffClaims.SupervisorRole))
        {
            body.Append("<form method=\"post\" action=\"/counter/report/close\">").Append(Html.Csrf(Csrf.Token(http))).Append(Hidden("date", iso))
                .Append("<p><button type=\"submit\">日次締めを行う</button></p></form>");
        }
        else
        {
            body.Append("<p>日次締めは監督者が行います。</p>");
        }

        return Layout.Page(http, "日報", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static DateOnly ParseDay(string? text, TimeProvider clock) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Jpki.Core.Time.JapanTime.Today(clock);
}
