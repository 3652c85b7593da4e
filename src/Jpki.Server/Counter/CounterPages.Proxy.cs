using Jpki.Core.Rules;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Proxy;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>
/// The proxy queue: visit 1 (照会書), the printable letter, and visit 2 in the clerk's order — reference, the proxy's
/// ID and an explicit statement about the concealing seal (異常なし／はがされている, no default; "はがされている"
/// asks for a confirmation before it closes the inquiry), then the PINs from the sheet, each typed twice.
/// </summary>
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
                        $"<a href=\"/counter/proxy/{Html.E(i.Reference)}\"><code>{Html.E(i.Reference)}</code></a>", $"<a href=\"/counter/residents/{Uri.EscapeDataString(i.ResidentId)}\">{Html.E(i.AddresseeName)}</a>",
                        Html.E(i.ProxyName), Html.Date(i.IssuedOn), Html.Date(i.AnswerDeadline),
                        $"<a href=\"/counter/proxy/{Html.E(i.Reference)}/letter\">印刷用</a>",
                    ]),
                    "回答待ちの照会書"));
            return Layout.Page(http, "代理人申請", body.ToString());
        });

        pages.MapGet("/proxy/new", (HttpContext http, string? resident) =>
            FormDrafts.Take(http) is { } draft
                ? ProxyRequestPage(http, draft, Restored(draft), StatusCodes.Status200OK)
                : ProxyRequestPage(http, FormValues.From([new("resident", resident ?? string.Empty)], false), null, StatusCodes.Status200OK));
        pages.MapPost("/proxy/new", async (HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var values = FormValues.From(form);
            return await Tokens(http).SubmitAsync(http, form, "proxy-new",
                (message, status) => Task.FromResult(ProxyRequestPage(http, values, message, status)),
                async (submission, ct) =>
                {
                    var request = new ProxyRequest(values["resident"], values["proxyName"], values["proxyId"], values.Has("proxyIdChecked"), values.Has("application"), values.Has("attorney"));
                    var outcome = await ops.Web.Proxy.RecordRequestAsync(CounterApi.Staff(http), request, ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? new FormOutcome.Done($"/counter/proxy/{outcome.Value!.Reference}?notice={submission}", "代理人申請を受け付け、照会書を作成しました。照会書を申請者の住所へ郵送してください。即日交付はできません。")
                        : Refused(outcome.Refusal!);
                }).ConfigureAwait(false);
        });

        pages.MapGet("/proxy/{reference}", async (string reference, HttpContext http, CounterOperations ops, string? notice) =>
        {
            var normal = InquiryReference.Normalise(reference);
            var i = normal is null ? null : await ops.Web.Store.FindInquiryAsync(normal, http.RequestAborted).ConfigureAwait(false);
            if (i is null)
            {
                return Layout.Page(http, "照会書が見つかりません", Html.Error(CounterCodes.ProxyReferenceUnknown, RefusalText.For(CounterCodes.ProxyReferenceUnknown, null)), StatusCodes.Status404NotFound);
            }

            var body = new StringBuilder(Html.Notice(await NoticeAsync(http, notice).ConfigureAwait(false)));
            body.Append(Html.Table(["項目", "内容"],
                [
                    ["照会番号", $"<code>{Html.E(i.Reference)}</code>"], ["申請者", Html.E(i.AddresseeName)], ["送付先", Html.E(i.AddresseeAddress)],
                    ["代理人", Html.E(i.ProxyName)], ["照会書の日付", Html.Date(i.IssuedOn)], ["回答期限", Html.Date(i.AnswerDeadline)],
                    ["状態", Html.E(i.Status switch
                    {
                        InquiryStatus.Open => "回答待ち",
                        InquiryStatus.Completed => "交付済み",
                        _ => "無効（" + RefusalText.For(i.ClosedCode ?? "proxy-inquiry-closed", null) + "）",
                    })],
                ]))
                .Append($"<p><a href=\"/counter/proxy/{Html.E(i.Reference)}/letter\">照会書を印刷する</a></p>")
                .Append(i.Status == InquiryStatus.Open ? $"<p><a href=\"/counter/proxy/visit?reference={Html.E(i.Reference)}\">2回目の来庁（回答書の確認と交付）へ</a></p>" : string.Empty)
                .Append("<p><a href=\"/counter/proxy\">代理人申請の一覧へ</a></p>");
            return Layout.Page(http, "照会書 " + i.Reference, body.ToString());
        });

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
            body.Append("<p class=\"noprint\"><button type=\"button\" data-print>印刷</button>");
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

        pages.MapGet("/proxy/visit", (HttpContext http, CounterOperations ops) =>
            ProxyVisitPageAsync(http, ops, FormValues.From(http.Request.Query), null, StatusCodes.Status200OK));
        pages.MapGet("/proxy/visit/confirm", (HttpContext http, CounterOperations ops) =>
            FormDrafts.Take(http) is { } draft
                ? ProxyVisitConfirmPageAsync(http, ops, FormValues.From(http.Request.Query).With(draft), Restored(draft), StatusCodes.Status200OK)
                : ProxyVisitConfirmPageAsync(http, ops, FormValues.From(http.Request.Query), null, StatusCodes.Status200OK));
        pages.MapGet("/proxy/visit/seal-broken", (HttpContext http, CounterOperations ops) =>
            ProxyVisitConfirmPageAsync(http, ops, FormValues.From(http.Request.Query), null, StatusCodes.Status200OK));
        pages.MapPost("/proxy/visit/seal-broken", async (HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var values = FormValues.From(form);
            var reference = InquiryReference.Normalise(values["reference"]) ?? values["reference"];
            return await Tokens(http).SubmitAsync(http, form, "seal-broken:" + reference,
                (message, status) => ProxyVisitConfirmPageAsync(http, ops, values, message, status),
                async (submission, ct) =>
                {
                    var outcome = await ops.Web.Proxy.RefuseBrokenSealAsync(CounterApi.Staff(http), reference, values.Has("proxyIdChecked"), ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? new FormOutcome.Done($"/counter/proxy/{outcome.Value!.Reference}?notice={submission}", "目隠しシールがはがされていたため回答書を無効とし、照会書を閉じました。代理人申請は最初からやり直しになります（申請者にその旨を伝えてください）。")
                        : Refused(outcome.Refusal!);
                }).ConfigureAwait(false);
        });
        pages.MapPost("/proxy/visit/confirm", async (HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var values = FormValues.From(form);
            var reference = InquiryReference.Normalise(values["reference"]) ?? values["reference"];
            return await Tokens(http).SubmitAsync(http, form, "proxy-visit:" + reference,
                (message, status) => ProxyVisitConfirmPageAsync(http, ops, values, message, status),
                async (submission, ct) =>
                {
                    var includeSign = values["sign"] == "1";
                    var includeAuth = values["auth"] == "1";
                    if ((includeSign && form["signPassword"] != form["signPassword2"]) || (includeAuth && form["authPin"] != form["authPin2"]))
                    {
                        return new FormOutcome.Refused(PinMismatch, "回答書から入力したパスワード（暗証番号）と確認用が一致しません。回答書を見ながらもう一度入力してください。");
                    }

                    var body = new CounterJson.ProxyVisitBody(
                        reference, values["card"], values.Has("proxyIdChecked"), SealIntact: true, form["cardPin"].ToString(),
                        includeSign ? form["signPassword"].ToString() : null, includeAuth ? form["authPin"].ToString() : null, includeSign, includeAuth, SubstituteChoices(values));
                    var outcome = await ops.CompleteProxyAsync(CounterApi.Staff(http), body, ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? new FormOutcome.Done("/counter/receipts/" + submission, JsonSerializer.Serialize(outcome.Value!))
                        : Refused(outcome.Refusal!);
                }).ConfigureAwait(false);
        });
    }

    private static IResult ProxyRequestPage(HttpContext http, FormValues values, string? message, int status)
    {
        var body = new StringBuilder(message ?? string.Empty);
        body.Append(FormStart(http, "/counter/proxy/new", "proxy-new"))
            .Append(Html.Field("resident", "申請者の住民番号", value: values["resident"], required: true))
            .Append(Html.Field("proxyName", "代理人の氏名", value: values["proxyName"], required: true, extra: $"maxlength=\"{BasicFourInfoLimits.NameMaxLength}\""))
            .Append(Html.Field("proxyId", "代理人の本人確認書類の種類（例：運転免許証）", value: values["proxyId"], required: true, extra: "maxlength=\"50\""))
            .Append(Html.Check("proxyIdChecked", "代理人の顔写真付き本人確認書類を確認しました", values.Has("proxyIdChecked")))
            .Append(Html.Check("application", "申請者の申請書があります", values.Has("application")))
            .Append(Html.Check("attorney", "委任状があります", values.Has("attorney")))
            .Append("<p><button type=\"submit\">受け付けて照会書を作成する</button></p></form>");
        return Layout.Page(http, "代理人申請の受付（1回目）", body.ToString(), status);
    }

    private static readonly (string Value, string Label)[] SealStates = [("intact", "異常なし（はがされていない）"), ("broken", "はがされている")];

    private static async Task<IResult> ProxyVisitPageAsync(HttpContext http, CounterOperations ops, FormValues values, string? message, int status)
    {
        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder(message ?? string.Empty);
        body.Append("<form method=\"get\" action=\"/counter/proxy/visit/confirm\">").Append(Html.Hidden("step", "1"))
            .Append(Html.Field("reference", "照会番号（回答書に記載の16桁）", value: values["reference"], required: true, extra: "inputmode=\"numeric\" autocomplete=\"off\""))
            .Append(CardSelect(slots, values.Get("card")))
            .Append(Html.Check("proxyIdChecked", "代理人の顔写真付き本人確認書類を再度確認しました", values.Has("proxyIdChecked")))
            .Append(Html.Radios("seal", "回答書の目隠しシール（開封前に確認して選んでください）", SealStates, values.Get("seal")))
            .Append("<fieldset><legend>申請された電子証明書</legend>")
            .Append(Html.Check("sign", "署名用電子証明書", !values.Has("step") || values.Has("sign"))).Append(Html.Check("auth", "利用者証明用電子証明書", !values.Has("step") || values.Has("auth")))
            .Append("</fieldset><p><button type=\"submit\">次へ</button></p></form>");
        return Layout.Page(http, "代理人への交付（2回目）", body.ToString(), status);
    }

    private static async Task<IResult> ProxyVisitConfirmPageAsync(HttpContext http, CounterOperations ops, FormValues values, string? message, int status)
    {
        var seal = values.Get("seal");
        if (seal is not ("intact" or "broken"))
        {
            // Forgetting the choice must never close the application: ask again, nothing is stored.
            return await ProxyVisitPageAsync(http, ops, values, (message ?? string.Empty) + Html.Error(CounterCodes.ProxySealNotStated, RefusalText.For(CounterCodes.ProxySealNotStated, null)), RefusedStatus(status)).ConfigureAwait(false);
        }

        var reference = InquiryReference.Normalise(values["reference"]) ?? values["reference"];
        if (seal == "broken")
        {
            var inquiry = InquiryReference.Normalise(values["reference"]) is { } normal ? await ops.Web.Store.FindInquiryAsync(normal, http.RequestAborted).ConfigureAwait(false) : null;
            var confirm = new StringBuilder(message ?? string.Empty)
                .Append("<div class=\"error\" role=\"alert\"><strong>確認してください</strong>：目隠しシールがはがされている回答書は受け付けられません。")
                .Append("この操作で回答書は無効となり、照会書を閉じます。代理人申請は最初から（照会書の郵送から）やり直しになります。</div>")
                .Append(inquiry is null ? string.Empty : Html.Table(["項目", "内容"], [["照会番号", $"<code>{Html.E(inquiry.Reference)}</code>"], ["申請者", Html.E(inquiry.AddresseeName)], ["代理人", Html.E(inquiry.ProxyName)]]))
                .Append(FormStart(http, "/counter/proxy/visit/seal-broken", "seal-broken:" + reference))
                .Append(Html.Hidden("reference", reference)).Append(Html.Hidden("seal", "broken"))
                .Append(values.Has("proxyIdChecked") ? Html.Hidden("proxyIdChecked", "1") : string.Empty)
                .Append("<p><button type=\"submit\">回答書を無効にして照会書を閉じる</button></p></form>")
                .Append($"<p><a href=\"/counter/proxy/visit?{QueryOf(values.With(FormValues.From([new("seal", string.Empty)], false)))}\">戻る（選び直す）</a></p>");
            return Layout.Page(http, "目隠しシールがはがされている回答書", confirm.ToString(), status);
        }

        var choices = CounterJson.Choices(SubstituteChoices(values)) ?? [];
        var prepared = await ops.PrepareVisitAsync(values["card"], reference, values.Has("proxyIdChecked"), values.Has("sign") && values["sign"] != "0", values.Has("auth") && values["auth"] != "0", choices, http.RequestAborted).ConfigureAwait(false);
        if (!prepared.IsAllowed)
        {
            return await ProxyVisitPageAsync(http, ops, values, (message ?? string.Empty) + Html.Error(prepared.Code, RefusalText.For(prepared.Refusal!)), RefusedStatus(status)).ConfigureAwait(false);
        }

        var (i, plan) = prepared.Value;
        var body = new StringBuilder(message ?? string.Empty);
        body.Append("<h2>確認</h2>").Append(Html.Table(["項目", "内容"],
            [
                ["照会番号", $"<code>{Html.E(i.Reference)}</code>"], ["申請者", Html.E(i.AddresseeName)], ["代理人", Html.E(i.ProxyName)],
                ["目隠しシール", "異常なし"], ["証明書の氏名", Html.E(plan.Name?.Text ?? "（署名用なし）")], ["証明書の住所", Html.E(plan.Address?.Text ?? "（署名用なし）")],
            ]))
            .Append(Html.Table(["種類", "区分", "有効期限", "手数料"], plan.Certificates.Select(c => (IEnumerable<string>)
                [Html.E(KindName(c.Kind)), Html.E(ModeName(c.Mode)), Html.Date(c.Expiry.ExpiresOn), Html.Yen(c.FeeYen)]), "発行する電子証明書"))
            .Append(FormStart(http, "/counter/proxy/visit/confirm", "proxy-visit:" + i.Reference))
            .Append(Html.Hidden("reference", i.Reference)).Append(Html.Hidden("seal", "intact")).Append(Html.Hidden("card", values["card"]))
            .Append(Html.Hidden("proxyIdChecked", "1"));
        var includeSign = plan.Certificates.Any(c => c.Kind == CertificateKind.Signature);
        var includeAuth = plan.Certificates.Any(c => c.Kind == CertificateKind.Authentication);
        body.Append(Html.Hidden("sign", includeSign ? "1" : "0")).Append(Html.Hidden("auth", includeAuth ? "1" : "0"))
            .Append("<h2>暗証番号の入力</h2>")
            .Append(PinField("cardPin", "券面事項入力補助用の暗証番号（代理人が入力）", numeric: true));
        if (includeSign)
        {
            body.Append(PinField("signPassword", "署名用電子証明書のパスワード（回答書から職員が入力）", numeric: false))
                .Append(PinField("signPassword2", "署名用電子証明書のパスワード（確認のためもう一度）", numeric: false));
        }

        if (includeAuth)
        {
            body.Append(PinField("authPin", "利用者証明用電子証明書の暗証番号（回答書から職員が入力）", numeric: true))
                .Append(PinField("authPin2", "利用者証明用電子証明書の暗証番号（確認のためもう一度）", numeric: true));
        }

        body.Append("<p><button type=\"submit\">確認して交付する</button></p></form>")
            .Append($"<p><a href=\"/counter/proxy/visit?{QueryOf(values)}\">選択をやり直す</a></p>");
        return Layout.Page(http, "代理人への交付（2回目）の確認", body.ToString(), status);
    }
}
