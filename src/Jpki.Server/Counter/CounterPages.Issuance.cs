using System.Globalization;
using System.Text;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>Issuance in two steps (choices and confirmation, then the PINs), PIN reset and revocation.</summary>
internal static partial class CounterPages
{
    private const string PinMismatch = "pin-mismatch";

    private static void MapIssuance(RouteGroupBuilder pages)
    {
        pages.MapGet("/residents/{id}/issue", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var preview = await ops.Web.Counter.PreviewSubstitutionsAsync(id, null, http.RequestAborted).ConfigureAwait(false);
            if (!preview.IsAllowed)
            {
                return await ResidentPageAsync(http, ops, id, Html.Error(preview.Code, RefusalText.For(preview.Code!, preview.Message)), null).ConfigureAwait(false);
            }

            var detail = (await ops.ResidentAsync(id, http.RequestAborted).ConfigureAwait(false))!;
            var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
            var body = new StringBuilder();
            body.Append("<p>").Append(Html.E(detail.Resident.Name)).Append("（").Append(Html.E(detail.Resident.Id)).Append("）　生年月日 ").Append(Html.Date(detail.Resident.DateOfBirth)).Append("</p>");
            var valid = detail.Certificates.Where(c => c.State == "valid").ToList();
            if (valid.Count > 0)
            {
                body.Append("<h2>現在の電子証明書</h2>").Append(Html.Table(["種類", "有効期限", "更新受付開始日", "今日の更新"], valid.Select(c => (IEnumerable<string>)
                    [Html.E(KindName(c.Kind)), Html.Date(c.ExpiresOn), Html.Date(c.RenewalOpens), c.RenewableToday ? "受付できます" : "<span class=\"warn\">まだ受付できません</span>"]), "現在の電子証明書"));
            }

            body.Append($"<form method=\"post\" action=\"/counter/residents/{Uri.EscapeDataString(id)}/issue/confirm\">").Append(Html.Csrf(Csrf.Token(http)))
                .Append("<h2>1. カードと本人確認</h2>").Append(CardSelect(slots))
                .Append(Html.Check("identity", "顔写真付き本人確認書類（カード券面など）で本人を確認しました"))
                .Append("<h2>2. 発行する電子証明書</h2>")
                .Append(Html.Check("sign", "署名用電子証明書", true)).Append(Html.Check("auth", "利用者証明用電子証明書", true))
                .Append("<h2>3. 代替文字（署名用電子証明書の氏名・住所）</h2>")
                .Append(SubstitutionChoices(preview.Value!, null))
                .Append("<p><button type=\"submit\">確認へ進む</button></p></form>");
            return Layout.Page(http, "電子証明書の発行・更新", body.ToString());
        });

        pages.MapPost("/residents/{id}/issue/confirm", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            return await ConfirmPageAsync(http, ops, id, form, null).ConfigureAwait(false);
        }).RequireCsrf();

        pages.MapPost("/residents/{id}/issue", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var includeSign = form["sign"] == "1";
            var includeAuth = form["auth"] == "1";
            if ((includeSign && form["signPassword"] != form["signPassword2"]) || (includeAuth && form["authPin"] != form["authPin2"]))
            {
                return await ConfirmPageAsync(http, ops, id, form, Html.Error(PinMismatch, "新しいパスワード（暗証番号）と確認用が一致しません。")).ConfigureAwait(false);
            }

            var body = new CounterJson.IssueBody(
                id, form["card"].ToString(), form["identity"] == "1", form["cardPin"].ToString(),
                includeSign ? form["signPassword"].ToString() : null, includeAuth ? form["authPin"].ToString() : null,
                includeSign, includeAuth, FormChoices(form));
            var outcome = await ops.IssueAsync(CounterApi.Staff(http), body, http.RequestAborted).ConfigureAwait(false);
            return outcome.IsAllowed
                ? Layout.Page(http, "交付（控え）", ReceiptHtml(outcome.Value!) + $"<p class=\"noprint\"><a href=\"/counter/residents/{Uri.EscapeDataString(id)}\">住民の画面へ戻る</a></p>")
                : await ConfirmPageAsync(http, ops, id, form, Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message))).ConfigureAwait(false);
        }).RequireCsrf();
    }

    private static async Task<IResult> ConfirmPageAsync(HttpContext http, CounterOperations ops, string id, IFormCollection form, string? error)
    {
        var choices = FormChoices(form);
        var preview = await ops.Web.Counter.PreviewSubstitutionsAsync(id, CounterJson.Choices(choices), http.RequestAborted).ConfigureAwait(false);
        if (!preview.IsAllowed)
        {
            return await ResidentPageAsync(http, ops, id, Html.Error(preview.Code, RefusalText.For(preview.Code!, preview.Message)), null).ConfigureAwait(false);
        }

        var includeSign = form["sign"] == "1";
        var includeAuth = form["auth"] == "1";
        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var card = form["card"].ToString();
        var body = new StringBuilder(error ?? string.Empty);
        body.Append("<h2>確認</h2>").Append(Html.Table(["項目", "内容"],
        [
            ["カード", Html.E(slots.FirstOrDefault(s => s.Id == card)?.Label ?? card)],
            ["本人確認", form["identity"] == "1" ? "確認済み" : "<span class=\"warn\">未確認</span>"],
            ["発行する証明書", Html.E(string.Join("・", new[] { includeSign ? "署名用" : null, includeAuth ? "利用者証明用" : null }.Where(s => s is not null)))],
            ["証明書の氏名", Html.E(includeSign ? preview.Value!.Name.Text : "（署名用なし）")],
            ["証明書の住所", Html.E(includeSign ? preview.Value!.Address.Text : "（署名用なし）")],
        ]));
        body.Append($"<form method=\"post\" action=\"/counter/residents/{Uri.EscapeDataString(id)}/issue\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(Hidden("card", card)).Append(Hidden("identity", form["identity"].ToString()))
            .Append(Hidden("sign", includeSign ? "1" : "0")).Append(Hidden("auth", includeAuth ? "1" : "0"));
        foreach (var (key, value) in choices)
        {
            body.Append(Hidden("sub-" + key, value));
        }

        body.Append("<h2>暗証番号の入力（申請者ご本人が入力）</h2>")
            .Append(Html.Field("cardPin", PinKindName(PinKind.CardPin), "password", required: true, extra: "autocomplete=\"off\" inputmode=\"numeric\""));
        if (includeSign)
        {
            body.Append(Html.Field("signPassword", "新しい" + PinKindName(PinKind.SignaturePassword), "password", required: true, extra: "autocomplete=\"off\""))
                .Append(Html.Field("signPassword2", "新しい署名用電子証明書のパスワード（確認）", "password", required: true, extra: "autocomplete=\"off\""));
        }

        if (includeAuth)
        {
            body.Append(Html.Field("authPin", "新しい" + PinKindName(PinKind.AuthenticationPin), "password", required: true, extra: "autocomplete=\"off\" inputmode=\"numeric\""))
                .Append(Html.Field("authPin2", "新しい利用者証明用電子証明書の暗証番号（確認）", "password", required: true, extra: "autocomplete=\"off\" inputmode=\"numeric\""));
        }

        body.Append("<p><button type=\"submit\">発行する</button></p></form>")
            .Append($"<p><a href=\"/counter/residents/{Uri.EscapeDataString(id)}/issue\">選択をやり直す</a></p>");
        return Layout.Page(http, "発行内容の確認", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static string SubstitutionChoices(SubstitutionPreview preview, IReadOnlyDictionary<string, string>? chosen)
    {
        var substitutions = preview.Name.Substitutions.Concat(preview.Address.Substitutions).DistinctBy(s => s.CodePoint).ToList();
        var html = new StringBuilder();
        html.Append("<p>証明書の氏名：「").Append(Html.E(preview.Name.Text)).Append("」　住所：「").Append(Html.E(preview.Address.Text)).Append("」</p>");
        if (!preview.Name.IsComplete || !preview.Address.IsComplete)
        {
            html.Append("<p class=\"warn\">").Append(Html.E(RefusalText.For(CounterCodes.CharsetUnmappable, null))).Append("</p>");
        }

        if (substitutions.Count == 0)
        {
            return html.Append("<p>代替文字はありません。</p>").ToString();
        }

        foreach (var s in substitutions)
        {
            var key = "U+" + s.CodePoint.ToString("X4", CultureInfo.InvariantCulture);
            html.Append("<fieldset><legend>「").Append(Html.E(s.Original)).Append("」の代替文字（申請者が選びます）</legend>");
            for (var i = 0; i < s.Candidates.Count; i++)
            {
                var candidate = s.Candidates[i];
                var inputId = $"sub-{s.CodePoint:X4}-{i}";
                var isChecked = chosen is not null && chosen.TryGetValue(key, out var c) ? c == candidate : candidate == s.Substitute;
                html.Append($"<input type=\"radio\" id=\"{inputId}\" name=\"sub-{key}\" value=\"{Html.E(candidate)}\"{(isChecked ? " checked" : string.Empty)}> ")
                    .Append($"<label for=\"{inputId}\">「{Html.E(candidate)}」{(i == 0 ? "（標準）" : string.Empty)}</label> ");
            }

            html.Append("</fieldset>");
        }

        return html.ToString();
    }

    private static Dictionary<string, string> FormChoices(IFormCollection form) =>
        form.Keys.Where(k => k.StartsWith("sub-U+", StringComparison.Ordinal))
            .ToDictionary(k => k["sub-".Length..], k => form[k].ToString(), StringComparer.Ordinal);

    private static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{Html.E(name)}\" value=\"{Html.E(value)}\">";

    private static void MapCardActions(RouteGroupBuilder pages)
    {
        pages.MapGet("/residents/{id}/pin-reset", async (string id, HttpContext http, CounterOperations ops) => await PinResetPageAsync(http, ops, id, null).ConfigureAwait(false));
        pages.MapPost("/residents/{id}/pin-reset", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            if (form["newPin"] != form["newPin2"])
            {
                return await PinResetPageAsync(http, ops, id, Html.Error(PinMismatch, "新しい暗証番号と確認用が一致しません。")).ConfigureAwait(false);
            }

            var kind = Enum.TryParse<PinKind>(form["kind"].ToString(), out var k) ? k : PinKind.CardPin;
            var outcome = await ops.ResetPinAsync(CounterApi.Staff(http), new CounterJson.PinResetBody(id, form["card"].ToString(), form["identity"] == "1", kind, form["newPin"].ToString()), http.RequestAborted).ConfigureAwait(false);
            return outcome.IsAllowed
                ? await ResidentPageAsync(http, ops, id, null, PinKindName(kind) + "を初期化しました。").ConfigureAwait(false)
                : await PinResetPageAsync(http, ops, id, Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message))).ConfigureAwait(false);
        }).RequireCsrf();

        pages.MapGet("/residents/{id}/revoke", (string id, HttpContext http) => RevokePage(http, id, null));
        pages.MapPost("/residents/{id}/revoke", async (string id, HttpContext http, CounterOperations ops) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var kinds = new List<CertificateKind>(2);
            if (form["sign"] == "1")
            {
                kinds.Add(CertificateKind.Signature);
            }

            if (form["auth"] == "1")
            {
                kinds.Add(CertificateKind.Authentication);
            }

            var outcome = await ops.Web.Counter.RevokeOnRequestAsync(CounterApi.Staff(http), new RevocationRequest(id, form["identity"] == "1", kinds, form["thirdParty"] == "1"), http.RequestAborted).ConfigureAwait(false);
            return outcome.IsAllowed
                ? await ResidentPageAsync(http, ops, id, null, "電子証明書を失効させました（シリアル番号 " + string.Join("、", outcome.Value!) + "）。").ConfigureAwait(false)
                : RevokePage(http, id, Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message)));
        }).RequireCsrf();
    }

    private static async Task<IResult> PinResetPageAsync(HttpContext http, CounterOperations ops, string id, string? error)
    {
        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder(error ?? string.Empty);
        body.Append($"<form method=\"post\" action=\"/counter/residents/{Uri.EscapeDataString(id)}/pin-reset\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(CardSelect(slots))
            .Append(Html.Check("identity", "顔写真付き本人確認書類で本人を確認しました"))
            .Append("<p><label for=\"kind\">初期化する暗証番号</label><br><select id=\"kind\" name=\"kind\">")
            .Append("<option value=\"SignaturePassword\">").Append(Html.E(PinKindName(PinKind.SignaturePassword))).Append("</option>")
            .Append("<option value=\"AuthenticationPin\">").Append(Html.E(PinKindName(PinKind.AuthenticationPin))).Append("</option>")
            .Append("<option value=\"CardPin\">").Append(Html.E(PinKindName(PinKind.CardPin))).Append("</option></select></p>")
            .Append(Html.Field("newPin", "新しい暗証番号（申請者ご本人が入力）", "password", required: true, extra: "autocomplete=\"off\""))
            .Append(Html.Field("newPin2", "新しい暗証番号（確認）", "password", required: true, extra: "autocomplete=\"off\""))
            .Append("<p><button type=\"submit\">初期化する</button></p></form>");
        return Layout.Page(http, "暗証番号の初期化", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult RevokePage(HttpContext http, string id, string? error)
    {
        var body = new StringBuilder(error ?? string.Empty);
        body.Append($"<form method=\"post\" action=\"/counter/residents/{Uri.EscapeDataString(id)}/revoke\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(Html.Check("sign", "署名用電子証明書")).Append(Html.Check("auth", "利用者証明用電子証明書"))
            .Append(Html.Check("identity", "請求者の顔写真付き本人確認書類を確認しました"))
            .Append(Html.Check("thirdParty", "本人以外（第三者）からの請求（監督者のみ）"))
            .Append("<p><button type=\"submit\">失効させる</button></p></form>");
        return Layout.Page(http, "電子証明書の失効", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
