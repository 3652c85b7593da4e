using Jpki.Core.Rules;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>
/// Issuance in the order a clerk works: (1) card, photo ID, which certificates (ticked as the situation needs) and the
/// substitutes — all checked before anyone types a PIN, so a refusal (office hours, age, renewal window, a card without
/// card PIN…) comes first; (2) the confirmation with the PINs, each new one typed twice; (3) the receipt, on its own
/// address (a reload shows it again). Then PIN reset and revocation.
/// </summary>
internal static partial class CounterPages
{
    private const string PinMismatch = "pin-mismatch";

    private static void MapIssuance(RouteGroupBuilder pages)
    {
        pages.MapGet("/residents/{id}/issue", (string id, HttpContext http, CounterOperations ops) =>
            IssueStartPageAsync(http, ops, id, FormValues.From(http.Request.Query), null, StatusCodes.Status200OK));
        pages.MapGet("/residents/{id}/issue/confirm", (string id, HttpContext http, CounterOperations ops) =>
            FormDrafts.Take(http) is { } draft
                ? IssueConfirmPageAsync(http, ops, id, FormValues.From(http.Request.Query).With(draft), Restored(draft), StatusCodes.Status200OK)
                : IssueConfirmPageAsync(http, ops, id, FormValues.From(http.Request.Query), null, StatusCodes.Status200OK));
        pages.MapPost("/residents/{id}/issue/confirm", IssueAsync);
        pages.MapGet("/receipts/{submission}", ReceiptPageAsync);
    }

    private static async Task<IResult> IssueStartPageAsync(HttpContext http, CounterOperations ops, string id, FormValues values, string? message, int status)
    {
        var detail = await ops.ResidentAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (detail is null)
        {
            return await ResidentPageAsync(http, ops, id).ConfigureAwait(false);
        }

        var choices = CounterJson.Choices(SubstituteChoices(values)) ?? [];
        var preview = await ops.Web.Counter.PreviewSubstitutionsAsync(id, choices, http.RequestAborted).ConfigureAwait(false);
        var suggestions = await ops.Web.Counter.SuggestAsync(id, http.RequestAborted).ConfigureAwait(false);
        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var enc = Uri.EscapeDataString(id);
        var body = new StringBuilder(message ?? string.Empty);
        body.Append(ResidentLine(detail.Resident));
        var valid = detail.Certificates.Where(c => c.State == "valid").ToList();
        if (valid.Count > 0)
        {
            body.Append("<h2>現在の電子証明書</h2>").Append(Html.Table(["種類", "有効期限", "更新受付開始日", "今日の更新"], valid.Select(c => (IEnumerable<string>)
                [Html.E(KindName(c.Kind)), Html.Date(c.ExpiresOn), Html.Date(c.RenewalOpens), c.RenewableToday ? "受付できます" : "<span class=\"warn\">まだ受付できません</span>"]), "現在の電子証明書"));
        }

        // A GET form: choosing changes nothing, and Back or a reload keeps the choices in the address.
        body.Append($"<form method=\"get\" action=\"/counter/residents/{enc}/issue/confirm\">").Append(Html.Hidden("step", "1"))
            .Append("<h2>1. カードと本人確認</h2>").Append(CardSelect(slots, values.Get("card")))
            .Append(Html.Check("identity", "顔写真付き本人確認書類（カード券面など）で本人を確認しました", values.Has("identity")))
            .Append("<h2>2. 発行する電子証明書</h2>");
        foreach (var kind in new[] { CertificateKind.Signature, CertificateKind.Authentication })
        {
            var field = kind == CertificateKind.Signature ? "sign" : "auth";
            var suggestion = suggestions.FirstOrDefault(s => s.Kind == kind);
            var ticked = values.Has("step") ? values.Has(field) : suggestion?.Suggested ?? true;
            body.Append(Html.Check(field, KindName(kind), ticked))
                .Append("<p class=\"hint\">").Append(Html.E(SuggestionText(suggestion))).Append("</p>");
        }

        body.Append("<h2>3. 代替文字（署名用電子証明書の氏名・住所）</h2>")
            .Append(preview.IsAllowed ? SubstitutionChoices(preview.Value!, values) : string.Empty)
            .Append("<p><button type=\"submit\">確認へ進む</button></p></form>");
        return Layout.Page(http, "電子証明書の発行・更新", body.ToString(), status);
    }

    private static string SuggestionText(KindSuggestion? suggestion) => suggestion switch
    {
        null => string.Empty,
        { Reason: "new" } => "まだ発行されていません（新規）。",
        { Reason: "reissue" } => "有効な証明書がありません（失効または期限切れ）。再発行できます。",
        { Reason: "renewal" } => $"有効期限 {Html.Date(suggestion.ValidUntil!.Value)}。更新できます。",
        { Reason: "renewal-too-early" } => $"有効です（有効期限 {Html.Date(suggestion.ValidUntil!.Value)}）。更新の受付は {Html.Date(suggestion.RenewalOpens!.Value)} からです。",
        { Reason: var code } => RefusalText.For(code, null),
    };

    private static string ResidentLine(CounterJson.ResidentSummary resident) =>
        $"<p>{Html.E(resident.Name)}（{Html.E(resident.Id)}）　生年月日 {Html.Date(resident.DateOfBirth)}　住所 {Html.E(resident.Address)}</p>";

    private static IssuanceCheck Check(string id, FormValues values, IReadOnlyDictionary<int, string> choices) =>
        new(id, values.Has("identity"), values.Has("sign") && values["sign"] != "0", values.Has("auth") && values["auth"] != "0", choices);

    private static async Task<IResult> IssueConfirmPageAsync(HttpContext http, CounterOperations ops, string id, FormValues values, string? message, int status)
    {
        var choices = CounterJson.Choices(SubstituteChoices(values));
        if (choices is null)
        {
            return await IssueStartPageAsync(http, ops, id, values, (message ?? string.Empty) + Html.Error(CounterOperations.BadRequest, RefusalText.For(CounterOperations.BadRequest, null)), RefusedStatus(status)).ConfigureAwait(false);
        }

        var plan = await ops.PrepareAsync(values["card"], Check(id, values, choices), http.RequestAborted).ConfigureAwait(false);
        if (!plan.IsAllowed)
        {
            // Refused before anyone typed a PIN: the choices stay as they were.
            return await IssueStartPageAsync(http, ops, id, values, (message ?? string.Empty) + RefusalHtml(plan.Refusal!, id), RefusedStatus(status)).ConfigureAwait(false);
        }

        var p = plan.Value!;
        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var enc = Uri.EscapeDataString(id);
        var body = new StringBuilder(message ?? string.Empty);
        body.Append(ResidentLine(CounterJson.Summary(p.Resident)))
            .Append("<h2>確認</h2>").Append(Html.Table(["項目", "内容"],
            [
                ["カード", Html.E(slots.FirstOrDefault(s => s.Id == values["card"])?.Label ?? p.Card.CardId)],
                ["本人確認", "確認済み"],
                ["証明書の氏名", Html.E(p.Name?.Text ?? "（署名用なし）")],
                ["証明書の住所", Html.E(p.Address?.Text ?? "（署名用なし）")],
            ]))
            .Append(Html.Table(["種類", "区分", "有効期限", "手数料"], p.Certificates.Select(c => (IEnumerable<string>)
                [Html.E(KindName(c.Kind)), Html.E(ModeName(c.Mode)), Html.Date(c.Expiry.ExpiresOn), Html.Yen(c.FeeYen)]), "発行する電子証明書"));
        body.Append(FormStart(http, $"/counter/residents/{enc}/issue/confirm", "issue:" + id));
        foreach (var (key, value) in values.Pairs.Where(v => v.Key is "card" or "identity" or "sign" or "auth" or "step" || v.Key.StartsWith("sub-", StringComparison.Ordinal)))
        {
            body.Append(Html.Hidden(key, value));
        }

        var includeSign = p.Certificates.Any(c => c.Kind == CertificateKind.Signature);
        var includeAuth = p.Certificates.Any(c => c.Kind == CertificateKind.Authentication);
        body.Append("<h2>暗証番号の入力（申請者ご本人が入力）</h2>")
            .Append(PinField("cardPin", PinKindName(PinKind.CardPin), numeric: true));
        if (includeSign)
        {
            body.Append(PinField("signPassword", "新しい" + PinKindName(PinKind.SignaturePassword), numeric: false))
                .Append(PinField("signPassword2", "新しい署名用電子証明書のパスワード（確認）", numeric: false));
        }

        if (includeAuth)
        {
            body.Append(PinField("authPin", "新しい" + PinKindName(PinKind.AuthenticationPin), numeric: true))
                .Append(PinField("authPin2", "新しい利用者証明用電子証明書の暗証番号（確認）", numeric: true));
        }

        body.Append("<p><button type=\"submit\">発行する</button></p></form>")
            .Append($"<p><a href=\"/counter/residents/{enc}/issue?{QueryOf(values)}\">選択をやり直す</a>　<a href=\"/counter/residents/{enc}/pin-reset?kind=CardPin\">券面事項入力補助用の暗証番号の初期化へ</a></p>");
        return Layout.Page(http, "発行内容の確認", body.ToString(), status);
    }

    private static async Task<IResult> IssueAsync(string id, HttpContext http, CounterOperations ops)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var values = FormValues.From(form);
        return await Tokens(http).SubmitAsync(http, form, "issue:" + id,
            (message, status) => IssueConfirmPageAsync(http, ops, id, values, message, status),
            async (submission, ct) =>
            {
                var includeSign = form["sign"] == "1";
                var includeAuth = form["auth"] == "1";
                if ((includeSign && form["signPassword"] != form["signPassword2"]) || (includeAuth && form["authPin"] != form["authPin2"]))
                {
                    return new FormOutcome.Refused(PinMismatch, "新しいパスワード（暗証番号）と確認用が一致しません。もう一度入力してください。");
                }

                var body = new CounterJson.IssueBody(
                    id, form["card"].ToString(), form["identity"] == "1", form["cardPin"].ToString(),
                    includeSign ? form["signPassword"].ToString() : null, includeAuth ? form["authPin"].ToString() : null,
                    includeSign, includeAuth, SubstituteChoices(values));
                var outcome = await ops.IssueAsync(CounterApi.Staff(http), body, ct).ConfigureAwait(false);
                return outcome.IsAllowed
                    ? new FormOutcome.Done("/counter/receipts/" + submission, JsonSerializer.Serialize(outcome.Value!))
                    : Refused(outcome.Refusal!);
            }).ConfigureAwait(false);
    }

    private static async Task<IResult> ReceiptPageAsync(string submission, HttpContext http)
    {
        var found = await Tokens(http).FindAsync(http, submission).ConfigureAwait(false);
        if (found is not { Done: true, Outcome: "ok", Payload: { } payload } || JsonSerializer.Deserialize<IssuanceReceipt>(payload) is not { } receipt)
        {
            return Layout.Page(http, "控えが見つかりません", "<p>この控えは見つかりません（7日以上前のもの、または別の職員の交付です）。交付の記録は日報と証明書の一覧で確認できます。</p><p><a href=\"/counter\">住民検索へ</a></p>", StatusCodes.Status404NotFound);
        }

        var back = receipt.ByProxy
            ? "<p class=\"noprint\"><a href=\"/counter/proxy\">代理人申請の一覧へ</a></p>"
            : $"<p class=\"noprint\"><a href=\"/counter/residents/{Uri.EscapeDataString(receipt.ResidentId)}\">住民の画面へ戻る</a></p>";
        return Layout.Page(http, "交付（控え）", ReceiptHtml(receipt) + back);
    }

    /// <summary>A page shown again because of a refusal: 422, unless the caller already answers an error (a stale CSRF token: 400; a stale form token: 409).</summary>
    private static int RefusedStatus(int status) => status >= 400 ? status : StatusCodes.Status422UnprocessableEntity;

    private static string PinField(string id, string label, bool numeric) =>
        Html.Field(id, label, "password", required: true, extra: numeric ? "autocomplete=\"off\" inputmode=\"numeric\"" : "autocomplete=\"off\"");

    /// <summary>A refusal, with the way forward where there is one (a card without card PIN → the PIN reset page).</summary>
    private static string RefusalHtml(Refusal refusal, string residentId) =>
        Html.Error(refusal.Code, RefusalText.For(refusal)) + (refusal.Code == CounterCodes.CardPinNotSet
            ? $"<p><a href=\"/counter/residents/{Uri.EscapeDataString(residentId)}/pin-reset?kind=CardPin\">暗証番号の初期化（券面事項入力補助用の暗証番号を設定する）へ</a></p>"
            : string.Empty);

    private static string QueryOf(FormValues values) =>
        string.Join("&amp;", values.Pairs.Where(v => v.Key is "card" or "identity" or "sign" or "auth" or "step" or "reference" or "proxyIdChecked" or "seal" || v.Key.StartsWith("sub-", StringComparison.Ordinal))
            .Select(v => Uri.EscapeDataString(v.Key) + "=" + Uri.EscapeDataString(v.Value)));

    private static string SubstitutionChoices(SubstitutionPreview preview, FormValues values)
    {
        var substitutions = preview.Name.Substitutions.Concat(preview.Address.Substitutions).DistinctBy(s => s.CodePoint).ToList();
        var unmappable = (preview.Name.Unmappable ?? []).Concat(preview.Address.Unmappable ?? []).Distinct(StringComparer.Ordinal).ToList();
        var html = new StringBuilder();
        html.Append("<p>証明書の氏名：「").Append(Html.E(preview.Name.Text)).Append("」　住所：「").Append(Html.E(preview.Address.Text)).Append("」</p>");
        if (substitutions.Count == 0 && unmappable.Count == 0)
        {
            return html.Append("<p>代替文字はありません。</p>").ToString();
        }

        foreach (var s in substitutions)
        {
            var key = "sub-U+" + s.CodePoint.ToString("X4", CultureInfo.InvariantCulture);
            if (s.Candidates.Count == 0)
            {
                continue; // a reading given below
            }

            html.Append("<fieldset><legend>「").Append(Html.E(s.Original)).Append("」の代替文字（申請者が選びます）</legend>");
            for (var i = 0; i < s.Candidates.Count; i++)
            {
                var candidate = s.Candidates[i];
                var inputId = $"sub-{s.CodePoint:X4}-{i}";
                var isChecked = values.Get(key) is { } chosen ? chosen == candidate : candidate == s.Substitute;
                html.Append($"<input type=\"radio\" id=\"{inputId}\" name=\"{key}\" value=\"{Html.E(candidate)}\"{(isChecked ? " checked" : string.Empty)}> ")
                    .Append($"<label for=\"{inputId}\">「{Html.E(candidate)}」{(i == 0 ? "（標準）" : string.Empty)}</label> ");
            }

            html.Append("</fieldset>");
        }

        foreach (var character in unmappable.Concat(substitutions.Where(s => s.Candidates.Count == 0).Select(s => s.Original)).Distinct(StringComparer.Ordinal))
        {
            // No substitute exists (𩸽): the certificate carries the reading the holder gives, in katakana or hiragana.
            var codePoint = char.ConvertToUtf32(character, 0);
            var key = "sub-U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);
            html.Append(Html.Field(key, $"「{character}」（U+{codePoint:X4}）は電子証明書の文字にありません。この文字の読み（カナ）", value: values[key], extra: "maxlength=\"20\""));
        }

        return html.ToString();
    }

    private static Dictionary<string, string> SubstituteChoices(FormValues values) =>
        values.Keys.Where(k => k.StartsWith("sub-U+", StringComparison.Ordinal) && values[k].Length > 0)
            .ToDictionary(k => k["sub-".Length..], k => values[k], StringComparer.Ordinal);

    private static void MapCardActions(RouteGroupBuilder pages)
    {
        pages.MapGet("/residents/{id}/pin-reset", (string id, HttpContext http, CounterOperations ops) =>
            FormDrafts.Take(http) is { } draft
                ? PinResetPageAsync(http, ops, id, draft, Restored(draft), StatusCodes.Status200OK)
                : PinResetPageAsync(http, ops, id, FormValues.From(http.Request.Query), null, StatusCodes.Status200OK));
        pages.MapPost("/residents/{id}/pin-reset", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var values = FormValues.From(form);
            return await Tokens(http).SubmitAsync(http, form, "pin-reset:" + id,
                (message, status) => PinResetPageAsync(http, ops, id, values, message, status),
                async (submission, ct) =>
                {
                    // Never a default: resetting the wrong PIN is worse than asking again.
                    if (!Enum.TryParse<PinKind>(values["kind"], out var kind) || !Enum.IsDefined(kind))
                    {
                        return new FormOutcome.Refused("kind-not-chosen", "初期化する暗証番号を選んでください。");
                    }

                    if (form["newPin"] != form["newPin2"])
                    {
                        return new FormOutcome.Refused(PinMismatch, "新しい暗証番号と確認用が一致しません。もう一度入力してください。");
                    }

                    var outcome = await ops.ResetPinAsync(CounterApi.Staff(http), new CounterJson.PinResetBody(id, values["card"], values.Has("identity"), kind, form["newPin"].ToString()), ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? new FormOutcome.Done(ResidentLocation(id, submission), PinKindName(kind) + "を初期化しました。")
                        : Refused(outcome.Refusal!);
                }).ConfigureAwait(false);
        });

        pages.MapGet("/residents/{id}/pin-unblock", (string id, HttpContext http, CounterOperations ops) =>
            FormDrafts.Take(http) is { } draft
                ? PinUnblockPageAsync(http, ops, id, draft, Restored(draft), StatusCodes.Status200OK)
                : PinUnblockPageAsync(http, ops, id, FormValues.From(http.Request.Query), null, StatusCodes.Status200OK));
        pages.MapPost("/residents/{id}/pin-unblock", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var values = FormValues.From(form);
            return await Tokens(http).SubmitAsync(http, form, "pin-unblock:" + id,
                (message, status) => PinUnblockPageAsync(http, ops, id, values, message, status),
                async (submission, ct) =>
                {
                    if (!Enum.TryParse<PinKind>(values["kind"], out var kind) || kind is not (PinKind.AuthenticationPin or PinKind.SignaturePassword))
                    {
                        return new FormOutcome.Refused("kind-not-chosen", "ロックを解除する暗証番号を選んでください。");
                    }

                    if (form["newPin"] != form["newPin2"])
                    {
                        return new FormOutcome.Refused(PinMismatch, "新しい暗証番号と確認用が一致しません。もう一度入力してください。");
                    }

                    var outcome = await ops.UnblockWithPukAsync(CounterApi.Staff(http), new CounterJson.PinUnblockBody(id, values["card"], values.Has("identity"), kind, form["puk"].ToString(), form["newPin"].ToString()), ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? new FormOutcome.Done(ResidentLocation(id, submission), PinKindName(kind) + "のロックをPUKで解除し、新しく設定しました。")
                        : Refused(outcome.Refusal!);
                }).ConfigureAwait(false);
        });

        pages.MapGet("/residents/{id}/revoke", (string id, HttpContext http, CounterOperations ops) =>
            FormDrafts.Take(http) is { } draft
                ? RevokePageAsync(http, ops, id, draft, Restored(draft), StatusCodes.Status200OK)
                : RevokePageAsync(http, ops, id, FormValues.Empty, null, StatusCodes.Status200OK));
        pages.MapPost("/residents/{id}/revoke", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var values = FormValues.From(form);
            return await Tokens(http).SubmitAsync(http, form, "revoke:" + id,
                (message, status) => RevokePageAsync(http, ops, id, values, message, status),
                async (submission, ct) =>
                {
                    var kinds = new List<CertificateKind>(2);
                    if (values.Has("sign"))
                    {
                        kinds.Add(CertificateKind.Signature);
                    }

                    if (values.Has("auth"))
                    {
                        kinds.Add(CertificateKind.Authentication);
                    }

                    var outcome = await ops.Web.Counter.RevokeOnRequestAsync(CounterApi.Staff(http), new RevocationRequest(id, values.Has("identity"), kinds, values.Has("thirdParty")), ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? new FormOutcome.Done(ResidentLocation(id, submission), "電子証明書を失効させました（シリアル番号 " + string.Join("、", outcome.Value!) + "）。")
                        : Refused(outcome.Refusal!);
                }).ConfigureAwait(false);
        });
    }

    private static async Task<IResult> PinResetPageAsync(HttpContext http, CounterOperations ops, string id, FormValues values, string? message, int status)
    {
        var detail = await ops.ResidentAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (detail is null)
        {
            return await ResidentPageAsync(http, ops, id).ConfigureAwait(false);
        }

        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder(message ?? string.Empty).Append(ResidentLine(detail.Resident));
        body.Append(FormStart(http, $"/counter/residents/{Uri.EscapeDataString(id)}/pin-reset", "pin-reset:" + id))
            .Append(CardSelect(slots, values.Get("card")))
            .Append(Html.Check("identity", "顔写真付き本人確認書類で本人を確認しました", values.Has("identity")))
            .Append(Html.Select("kind", "初期化する暗証番号", [
                (nameof(PinKind.SignaturePassword), PinKindName(PinKind.SignaturePassword)),
                (nameof(PinKind.AuthenticationPin), PinKindName(PinKind.AuthenticationPin)),
                (nameof(PinKind.CardPin), PinKindName(PinKind.CardPin)),
            ], values.Get("kind")))
            .Append(Html.Field("newPin", "新しい暗証番号（申請者ご本人が入力）", "password", required: true, extra: "autocomplete=\"off\""))
            .Append(Html.Field("newPin2", "新しい暗証番号（確認）", "password", required: true, extra: "autocomplete=\"off\""))
            .Append("<p><button type=\"submit\">初期化する</button></p></form>");
        return Layout.Page(http, "暗証番号の初期化", body.ToString(), status);
    }

    private static async Task<IResult> PinUnblockPageAsync(HttpContext http, CounterOperations ops, string id, FormValues values, string? message, int status)
    {
        var detail = await ops.ResidentAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (detail is null)
        {
            return await ResidentPageAsync(http, ops, id).ConfigureAwait(false);
        }

        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var enc = Uri.EscapeDataString(id);
        var body = new StringBuilder(message ?? string.Empty).Append(ResidentLine(detail.Resident));
        body.Append("<p>次期カードのPUK（カードと一緒に届いた通知に記載の数字8桁）で、ロックされた暗証番号を解除して新しく設定します。PUKと新しい暗証番号は申請者ご本人が入力します。")
            .Append($"PUKがロックされている場合や、PUKのないカード（現行のカード）は<a href=\"/counter/residents/{enc}/pin-reset\">暗証番号の初期化</a>で初期化してください。</p>")
            .Append(FormStart(http, $"/counter/residents/{enc}/pin-unblock", "pin-unblock:" + id))
            .Append(CardSelect(slots, values.Get("card")))
            .Append(Html.Check("identity", "顔写真付き本人確認書類で本人を確認しました", values.Has("identity")))
            .Append(Html.Select("kind", "ロックを解除する暗証番号", [
                (nameof(PinKind.SignaturePassword), PinKindName(PinKind.SignaturePassword)),
                (nameof(PinKind.AuthenticationPin), PinKindName(PinKind.AuthenticationPin)),
            ], values.Get("kind")))
            .Append(PinField("puk", "PUK（数字8桁、申請者ご本人が入力）", numeric: true))
            .Append(PinField("newPin", "新しい暗証番号（申請者ご本人が入力）", numeric: false))
            .Append(PinField("newPin2", "新しい暗証番号（確認）", numeric: false))
            .Append("<p><button type=\"submit\">ロックを解除する</button></p></form>");
        return Layout.Page(http, "PUKによる暗証番号のロック解除", body.ToString(), status);
    }

    private static async Task<IResult> RevokePageAsync(HttpContext http, CounterOperations ops, string id, FormValues values, string? message, int status)
    {
        var detail = await ops.ResidentAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (detail is null)
        {
            return await ResidentPageAsync(http, ops, id).ConfigureAwait(false);
        }

        var body = new StringBuilder(message ?? string.Empty).Append(ResidentLine(detail.Resident));
        body.Append(FormStart(http, $"/counter/residents/{Uri.EscapeDataString(id)}/revoke", "revoke:" + id))
            .Append("<fieldset><legend>失効させる電子証明書</legend>")
            .Append(Html.Check("sign", "署名用電子証明書", values.Has("sign"))).Append(Html.Check("auth", "利用者証明用電子証明書", values.Has("auth")))
            .Append("</fieldset>")
            .Append(Html.Check("identity", "請求者の顔写真付き本人確認書類を確認しました", values.Has("identity")))
            .Append(Html.Check("thirdParty", "本人以外（第三者）からの請求（監督者のみ）", values.Has("thirdParty")))
            .Append("<p><button type=\"submit\">失効させる</button></p></form>");
        return Layout.Page(http, "電子証明書の失効", body.ToString(), status);
    }
}
