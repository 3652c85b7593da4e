using Jpki.Core.Rules;
using System.Globalization;
using System.Text;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Residents;
using Jpki.Server.Staff;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>
/// The staff pages of the counter in Japanese (server-rendered, no script): resident search with the true count and
/// pages, the resident page with certificates and their renewal windows, edits, registry changes and card registration.
/// Every state-changing form carries a one-time token and answers with post-redirect-get (<see cref="FormTokens"/>);
/// a refusal or a stale form shows the form again with what was typed. Issuance, PIN reset, revocation, the proxy
/// queue, the daily report and the register import are in the other <c>*Pages</c> files.
/// </summary>
internal static partial class CounterPages
{
    /// <summary>Results per search page.</summary>
    internal const int PageSize = 50;

    public static IEndpointRouteBuilder MapCounterPages(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("/counter").RequireAuthorization(StaffPolicies.Clerk).ExcludeFromDescription();
        pages.MapGet("/", SearchAsync);
        pages.MapPost("/search", (Delegate)SearchPostAsync).RequireCsrf();
        pages.MapGet("/residents/{id}", (string id, HttpContext http, CounterOperations ops, string? notice) => ResidentPageAsync(http, ops, id, notice: notice));
        foreach (var form in new[] { "edit", "changes", "cards" })
        {
            // The address a form posts to also shows it (a sign-in after an expired session comes back here with the draft).
            pages.MapGet("/residents/{id}/" + form, (string id, HttpContext http, CounterOperations ops) =>
                ResidentPageAsync(http, ops, id, FormDrafts.Take(http) is { } draft ? new ResidentForm(form, draft, Restored(draft)) : null));
        }

        pages.MapPost("/residents/{id}/edit", EditAsync);
        pages.MapPost("/residents/{id}/changes", ChangeAsync);
        pages.MapPost("/residents/{id}/cards", RegisterCardAsync);
        pages.MapGet("/submissions/{submission}", SubmissionAsync);
        MapIssuance(pages);
        MapCardActions(pages);
        MapProxy(pages);
        MapReport(pages);
        MapImport(pages);
        return endpoints;
    }

    /// <summary>The start of a POST form with the CSRF token and a one-time form token.</summary>
    internal static string FormStart(HttpContext http, string action, string formName, string? extra = null) =>
        $"<form method=\"post\" action=\"{Html.E(action)}\"{(extra is null ? string.Empty : " " + extra)}>" + Html.Csrf(Csrf.Token(http)) + Tokens(http).Field(http, formName);

    internal static FormTokens Tokens(HttpContext http) => (FormTokens)http.RequestServices.GetService(typeof(FormTokens))!;

    /// <summary>The Japanese notice stored with a submission (the result of a post-redirect-get), or null.</summary>
    internal static async Task<string?> NoticeAsync(HttpContext http, string? submission)
    {
        if (string.IsNullOrEmpty(submission) || submission.Length > 64)
        {
            return null;
        }

        var found = await Tokens(http).FindAsync(http, submission).ConfigureAwait(false);
        return found is { Done: true, Outcome: "ok" } ? found.Payload : null;
    }

    internal static string Restored(FormValues draft) => draft.Restored
        ? "<div class=\"error\" role=\"alert\"><strong>送信していません</strong>：ログインの有効期限が切れていたため、入力内容を復元しました（暗証番号を除く）。確認して、もう一度送信してください。</div>"
        : string.Empty;

    /// <summary>The search form posts its terms; the answer sends the browser to the results with the terms sealed (<see cref="ResidentSearchTerms"/>).</summary>
    private static async Task<IResult> SearchPostAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var q = form["q"].ToString().Trim();
        var dob = form["dob"].ToString().Trim();
        if (q.Length > ResidentSearchTerms.MaxLength)
        {
            q = q[..ResidentSearchTerms.MaxLength];
        }

        return q.Length == 0 && dob.Length == 0
            ? Results.Redirect("/counter")
            : Results.Redirect("/counter?s=" + Uri.EscapeDataString(ResidentSearchTerms.Seal(http, q, dob)));
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CounterOperations ops, string? s, int? page)
    {
        var terms = ResidentSearchTerms.Open(http, s);
        var (q, dob) = terms ?? (null, null);
        var body = new StringBuilder();
        if (s is not null && terms is null)
        {
            body.Append("<p class=\"error\" role=\"alert\">検索条件の有効期限が切れました。もう一度検索してください。</p>");
        }

        body.Append("<form method=\"post\" action=\"/counter/search\" role=\"search\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(Html.Field("q", "住民番号・氏名・フリガナ", value: q))
            .Append(Html.Field("dob", "生年月日", "date", value: dob))
            .Append("<p><button type=\"submit\">検索</button> <a href=\"/counter/import\">住民データの取込（CSV）</a></p></form>");
        DateOnly? birth = DateOnly.TryParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var query = new ResidentQuery(q, birth, PageSize);
        if (query.NormalizedText is not null || birth is not null)
        {
            var total = await ops.Web.Store.CountResidentsAsync(query, http.RequestAborted).ConfigureAwait(false);
            var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
            var current = Math.Clamp(page ?? 1, 1, pages);
            var found = await ops.Web.Store.SearchResidentsAsync(query with { Offset = (current - 1) * PageSize }, http.RequestAborted).ConfigureAwait(false);
            body.Append("<h2>検索結果（").Append(Count(total)).Append("件）</h2>");
            if (total == 0)
            {
                body.Append("<p>該当する住民はいません。</p>");
            }
            else
            {
                var first = ((current - 1) * PageSize) + 1;
                body.Append("<p role=\"status\">").Append(Count(total)).Append("件中 ").Append(Count(first)).Append("〜").Append(Count(first + found.Count - 1))
                    .Append("件目を表示（").Append(Count(current)).Append(" / ").Append(Count(pages)).Append("ページ）。表記の違い（髙と高、全角と半角など）は区別せずに探します。</p>")
                    .Append(Html.Table(
                        ["住民番号", "氏名", "フリガナ", "生年月日", "住所", "状態"],
                        found.Select(r => (IEnumerable<string>)
                        [
                            $"<a href=\"/counter/residents/{Uri.EscapeDataString(r.Id)}\">{Html.E(r.Id)}</a>",
                            $"<a href=\"/counter/residents/{Uri.EscapeDataString(r.Id)}\">{Html.E(r.Name)}</a>",
                            Html.E(r.NameKana), Html.Date(r.DateOfBirth), Html.E(r.Address), Html.E(StatusName(r.Status)),
                        ]),
                        "検索結果"))
                    .Append(Pager(s!, current, pages));
            }
        }

        return Layout.Page(http, "住民検索", body.ToString());
    }

    private static string Pager(string sealedTerms, int current, int pages)
    {
        if (pages <= 1)
        {
            return string.Empty;
        }

        string Link(int page, string text, string? rel = null) =>
            $"<a href=\"/counter?s={Uri.EscapeDataString(sealedTerms)}&amp;page={page}\"{(rel is null ? string.Empty : $" rel=\"{rel}\"")}>{text}</a>";
        var html = new StringBuilder("<nav aria-label=\"検索結果のページ\"><p>");
        if (current > 1)
        {
            html.Append(Link(current - 1, "前の50件", "prev")).Append(' ');
        }

        foreach (var page in new[] { 1, current - 2, current - 1, current, current + 1, current + 2, pages }.Where(p => p >= 1 && p <= pages).Distinct().Order())
        {
            html.Append(page == current ? $"<strong aria-current=\"page\">{page}</strong>" : Link(page, page.ToString(CultureInfo.InvariantCulture))).Append(' ');
        }

        if (current < pages)
        {
            html.Append(Link(current + 1, "次の50件", "next"));
        }

        return html.Append("</p></nav>").ToString();
    }

    /// <summary>A form of the resident page shown again with what was typed and a message.</summary>
    internal sealed record ResidentForm(string Name, FormValues Values, string Message);

    internal static async Task<IResult> ResidentPageAsync(HttpContext http, CounterOperations ops, string id, ResidentForm? form = null, string? notice = null, int? status = null)
    {
        var detail = await ops.ResidentAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (detail is null)
        {
            return Layout.Page(http, "住民が見つかりません", Html.Error(CounterCodes.ResidentNotFound, RefusalText.For(CounterCodes.ResidentNotFound, null)), StatusCodes.Status404NotFound);
        }

        var r = detail.Resident;
        var enc = Uri.EscapeDataString(r.Id);
        var values = form?.Values ?? FormValues.Empty;
        var body = new StringBuilder();
        body.Append(Html.Notice(await NoticeAsync(http, notice).ConfigureAwait(false)));
        if (form is not null)
        {
            // The message first, where the clerk looks; the form keeps what was typed further down.
            body.Append(form.Message).Append("<p><a href=\"#form-").Append(form.Name).Append("\">入力中の「")
                .Append(form.Name switch { "edit" => "記載事項の修正", "changes" => "異動の届出", _ => "カードの登録" }).Append("」へ移動する</a></p>");
        }

        body.Append("<h2>基本4情報</h2>").Append(Html.Table(
            ["項目", "内容"],
            [
                ["住民番号", Html.E(r.Id)], ["氏名", Html.E(r.Name)], ["フリガナ", Html.E(r.NameKana)],
                ["生年月日", Html.Date(r.DateOfBirth)], ["性別", Html.E(SexName(r.Sex))], ["住所", Html.E(r.Address)],
                ["世帯番号", Html.E(r.HouseholdId)], ["成年被後見人", r.UnderGuardianship ? "該当" : "非該当"],
                ["状態", Html.E(StatusName(Enum.Parse<ResidentStatus>(r.Status)))],
            ]));
        body.Append("<h2>業務</h2><ul>")
            .Append($"<li><a href=\"/counter/residents/{enc}/issue\">電子証明書の発行・更新</a></li>")
            .Append($"<li><a href=\"/counter/residents/{enc}/pin-reset\">暗証番号の初期化</a></li>")
            .Append($"<li><a href=\"/counter/residents/{enc}/pin-unblock\">PUKによる暗証番号のロック解除（次期カード）</a></li>")
            .Append($"<li><a href=\"/counter/residents/{enc}/revoke\">電子証明書の失効</a></li>")
            .Append($"<li><a href=\"/counter/proxy/new?resident={enc}\">代理人による申請（照会書）</a></li></ul>");
        body.Append("<h2>カード</h2>").Append(detail.Cards.Count == 0
            ? "<p>登録されたカードはありません。下の「カードの登録」で登録してください。</p>"
            : Html.Table(["カード番号", "種類", "有効期限", "状態"], detail.Cards.Select(c => (IEnumerable<string>)
                [Html.E(c.CardId), Html.E(CardKindName(c.Kind)), Html.Date(c.ExpiresOn), Html.E(CardStatusName(c.Status))]), "カード"));
        body.Append("<h2>電子証明書</h2>").Append(detail.Certificates.Count == 0
            ? "<p>発行された電子証明書はありません。</p>"
            : Html.Table(
                ["種類", "シリアル番号", "有効期限", "更新受付開始日", "状態"],
                detail.Certificates.Select(c => (IEnumerable<string>)
                [
                    Html.E(KindName(c.Kind)), $"<code>{Html.E(c.SerialHex)}</code>", Html.Date(c.ExpiresOn), Html.Date(c.RenewalOpens),
                    Html.E(c.State switch
                    {
                        "revoked" => "失効",
                        "expired" => "期限切れ",
                        _ => c.RenewableToday ? "有効（更新受付期間中）" : "有効",
                    }),
                ]),
                "電子証明書"));
        if (detail.Issuances.Any(i => i.State != "written"))
        {
            // Issuances that did not end on the card: what became of each certificate (revoked, or still to be revoked).
            body.Append("<h2>交付の記録（カードに書き込めなかったもの）</h2>").Append(Html.Table(
                ["種類", "シリアル番号", "開始", "状態", "最後のエラー"],
                detail.Issuances.Where(i => i.State != "written").Select(i => (IEnumerable<string>)
                [
                    Html.E(KindName(i.Kind)), i.SerialHex is null ? "—" : $"<code>{Html.E(i.SerialHex)}</code>",
                    Html.E(JapanTime.ToJst(i.StartedAt).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                    Html.E(i.State switch
                    {
                        "intended" => "発行結果の確認待ち（自動で処理します）",
                        "issued" => "カード未書き込み・失効待ち（自動で失効します）",
                        "revoked" => "カードに書き込めず失効済み（理由: 未指定）",
                        "superseding" => "カード書き込み済み・更新前の証明書の失効待ち（自動で失効します）",
                        "writing" => "カード書き込み中に中断・カードの確認待ち（カードを提示すると、書き込み済みなら完了、未書き込みなら失効します）",
                        _ => "発行されず（機構が拒否）",
                    }),
                    Html.E(i.LastError ?? ""),
                ]),
                "交付の記録"));
        }

        var edit = form?.Name == "edit" ? values : FormValues.From([new("kana", r.NameKana), new("household", r.HouseholdId), .. r.UnderGuardianship ? [new KeyValuePair<string, string>("guardianship", "1")] : Array.Empty<KeyValuePair<string, string>>()], false);
        body.Append("<section id=\"form-edit\"><h2>記載事項の修正（失効を伴わない項目）</h2>")
            .Append(FormStart(http, $"/counter/residents/{enc}/edit", "edit:" + r.Id))
            .Append(Html.Field("kana", "フリガナ", value: edit["kana"], required: true, extra: $"maxlength=\"{BasicFourInfoLimits.NameKanaMaxLength}\""))
            .Append(Html.Field("household", "世帯番号", value: edit["household"], required: true, extra: $"maxlength=\"{ResidentCsv.HouseholdMaxLength}\""))
            .Append(Html.Check("guardianship", "成年被後見人", edit.Has("guardianship")))
            .Append("<p><button type=\"submit\">修正する</button></p></form></section>");

        var change = form?.Name == "changes" ? values : FormValues.Empty;
        body.Append("<section id=\"form-changes\"><h2>異動の届出（署名用電子証明書は失効します）</h2>")
            .Append(FormStart(http, $"/counter/residents/{enc}/changes", "change:" + r.Id))
            .Append(Html.Select("kind", "異動の種類", ChangeKinds, change.Get("kind")))
            .Append(Html.Field("value", "新しい住所・氏名、または紛失したカード番号", value: change["value"], extra: $"maxlength=\"{BasicFourInfoLimits.AddressMaxLength}\""))
            .Append(Html.Field("newKana", "新しいフリガナ（氏名の変更のとき必須）", value: change["newKana"], extra: $"maxlength=\"{BasicFourInfoLimits.NameKanaMaxLength}\""))
            .Append(Html.Field("newBirthDate", "正しい生年月日（生年月日の訂正のとき）", type: "date", value: change["newBirthDate"]))
            .Append(Html.Select("newSex", "正しい性別（性別の訂正のとき）", [("1", "男"), ("2", "女"), ("9", "適用不能")], change.Get("newSex"), placeholder: "（訂正しない）", required: false))
            .Append("<p><button type=\"submit\">届出を登録する</button></p></form></section>");

        body.Append(await CardRegistrationFormAsync(http, ops, r.Id, form?.Name == "cards" ? form : null).ConfigureAwait(false));
        return Layout.Page(http, r.Name + "（" + r.Id + "）", body.ToString(), status ?? StatusCodes.Status200OK);
    }

    private static readonly (string Value, string Label)[] ChangeKinds =
    [
        (nameof(ResidentChangeKind.MoveWithin), "転居"), (nameof(ResidentChangeKind.MoveIn), "転入"), (nameof(ResidentChangeKind.MoveOut), "転出"),
        (nameof(ResidentChangeKind.NameChange), "氏名の変更"), (nameof(ResidentChangeKind.BirthDateCorrection), "生年月日の訂正"),
        (nameof(ResidentChangeKind.SexCorrection), "性別の訂正"), (nameof(ResidentChangeKind.Death), "死亡"), (nameof(ResidentChangeKind.CardLoss), "カードの紛失"),
    ];

    /// <summary>The Japanese name of a registry change, as the change form offers it.</summary>
    internal static string ChangeKindName(ResidentChangeKind kind) =>
        Array.Find(ChangeKinds, k => k.Value == kind.ToString()).Label ?? kind.ToString();

    private static async Task<IResult> EditAsync(string id, HttpContext http, CounterOperations ops)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var values = FormValues.From(form);
        return await Tokens(http).SubmitAsync(http, form, "edit:" + id,
            (message, status) => ResidentPageAsync(http, ops, id, new ResidentForm("edit", values, message), status: status),
            async (submission, ct) =>
            {
                var outcome = await ops.Web.Registry.EditAsync(new ResidentEdit(id, values["kana"], values.Has("guardianship"), values["household"]), CounterApi.Staff(http), ct).ConfigureAwait(false);
                return outcome.IsAllowed
                    ? new FormOutcome.Done(ResidentLocation(id, submission), "記載事項を修正しました。")
                    : Refused(outcome.Refusal!);
            }).ConfigureAwait(false);
    }

    private static async Task<IResult> ChangeAsync(string id, HttpContext http, CounterOperations ops)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var values = FormValues.From(form);
        return await Tokens(http).SubmitAsync(http, form, "change:" + id,
            (message, status) => ResidentPageAsync(http, ops, id, new ResidentForm("changes", values, message), status: status),
            async (submission, ct) =>
            {
                if (!Enum.TryParse<ResidentChangeKind>(values["kind"], out var kind) || !Enum.IsDefined(kind))
                {
                    return new FormOutcome.Refused("kind-not-chosen", "異動の種類を選んでください。");
                }

                var value = values["value"];
                DateOnly? birthDate = DateOnly.TryParseExact(values["newBirthDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsedDate) ? parsedDate : null;
                Sex? sex = values["newSex"] switch
                {
                    "1" => Sex.Male,
                    "2" => Sex.Female,
                    "9" => Sex.NotApplicable,
                    _ => null,
                };
                var kana = values["newKana"];
                var change = kind switch
                {
                    ResidentChangeKind.NameChange => new ResidentChange(kind, id, NewName: value, NewNameKana: kana.Length == 0 ? null : kana),
                    ResidentChangeKind.CardLoss => new ResidentChange(kind, id, CardId: value),
                    ResidentChangeKind.Death => new ResidentChange(kind, id),
                    ResidentChangeKind.BirthDateCorrection => new ResidentChange(kind, id, NewDateOfBirth: birthDate),
                    ResidentChangeKind.SexCorrection => new ResidentChange(kind, id, NewSex: sex),
                    _ => new ResidentChange(kind, id, NewAddress: value),
                };
                var outcome = await ops.Web.Changes.ApplyAsync(change, CounterApi.Staff(http), ct).ConfigureAwait(false);
                if (!outcome.IsAllowed)
                {
                    return Refused(outcome.Refusal!);
                }

                var done = outcome.Value!.AllRevocationsDone
                    ? (outcome.Value.Revocations.Count == 0 ? "異動を登録しました。" : "異動を登録し、対象の電子証明書を失効させました。")
                    : "異動を登録しました。失効処理は認証局の応答待ちで、自動的に再試行されます。";
                return new FormOutcome.Done(ResidentLocation(id, submission), done);
            }).ConfigureAwait(false);
    }

    private static async Task<string> CardRegistrationFormAsync(HttpContext http, CounterOperations ops, string residentId, ResidentForm? form)
    {
        var values = form?.Values ?? FormValues.Empty;
        var slots = await ops.Web.Cards.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var html = new StringBuilder("<section id=\"form-cards\"><h2>カードの登録</h2>")
            .Append("<p>交付するカードを住民に登録します。読み取り機の仮想カードを選ぶとカード番号・種類・有効期限はカードから読み取ります。それ以外は券面のとおり入力してください。</p>")
            .Append(FormStart(http, $"/counter/residents/{Uri.EscapeDataString(residentId)}/cards", "card:" + residentId))
            .Append(Html.Select("card", "読み取り機のカード", slots.Select(s => (s.Id, s.Label)), values.Get("card"), placeholder: "（選ばずに入力する）", required: false))
            .Append(Html.Field("number", "カード番号（選ばないとき）", value: values["number"], extra: "maxlength=\"32\" autocomplete=\"off\""))
            .Append(Html.Select("cardKind", "カードの種類（選ばないとき）", [(nameof(CardKind.MyNumberCard), "マイナンバーカード"), (nameof(CardKind.JukiCard), "住基カード")], values.Get("cardKind"), required: false))
            .Append(Html.Field("expiry", "カードの有効期限（選ばないとき）", "date", values["expiry"]))
            .Append("<p><button type=\"submit\">カードを登録する</button></p></form></section>");
        return html.ToString();
    }

    private static async Task<IResult> RegisterCardAsync(string id, HttpContext http, CounterOperations ops)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var values = FormValues.From(form);
        return await Tokens(http).SubmitAsync(http, form, "card:" + id,
            (message, status) => ResidentPageAsync(http, ops, id, new ResidentForm("cards", values, message), status: status),
            async (submission, ct) =>
            {
                ResidentCard card;
                if (values["card"] is { Length: > 0 } slot)
                {
                    if (await ops.Web.Cards.DescribeAsync(slot, ct).ConfigureAwait(false) is not { } info)
                    {
                        return Refused(CounterOperations.CardNotFound, null);
                    }

                    card = new ResidentCard(info.CardId, id, info.Kind, info.ExpiresOn);
                }
                else
                {
                    if (!Enum.TryParse<CardKind>(values["cardKind"], out var kind) || !Enum.IsDefined(kind)
                        || !DateOnly.TryParseExact(values["expiry"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiry))
                    {
                        return new FormOutcome.Refused("card-details-missing", "読み取り機のカードを選ぶか、カード番号・種類・有効期限をすべて入力してください。");
                    }

                    card = new ResidentCard(values["number"].Trim(), id, kind, expiry);
                }

                var outcome = await ops.Web.Registry.RegisterCardAsync(card, CounterApi.Staff(http), ct).ConfigureAwait(false);
                return outcome.IsAllowed
                    ? new FormOutcome.Done(ResidentLocation(id, submission), $"カード（カード番号 {card.CardId}）を登録しました。")
                    : Refused(outcome.Refusal!);
            }).ConfigureAwait(false);
    }

    /// <summary>A submission's result: still running on another server (the page refreshes), or where it is shown.</summary>
    private static async Task<IResult> SubmissionAsync(string submission, HttpContext http)
    {
        var found = await Tokens(http).FindAsync(http, submission).ConfigureAwait(false);
        if (found is null)
        {
            return Layout.Page(http, "処理が見つかりません", "<p>この処理は見つかりません（7日以上前のもの、または別の職員のものです）。</p><p><a href=\"/counter\">住民検索へ</a></p>", StatusCodes.Status404NotFound);
        }

        if (!found.Done)
        {
            return Layout.Page(http, "処理中です", "<p role=\"status\">送信された処理を実行しています。この画面は自動的に更新されます。もう一度送信しないでください。</p>", refreshSeconds: 1);
        }

        return found.Outcome == "ok" && found.Location is { } location
            ? FormTokens.SeeOther(location)
            : Layout.Page(http, "受付できませんでした", Html.Error(found.Outcome, found.Payload) + "<p><a href=\"/counter\">住民検索へ</a></p>", StatusCodes.Status422UnprocessableEntity);
    }

    internal static string ResidentLocation(string id, string submission) => $"/counter/residents/{Uri.EscapeDataString(id)}?notice={submission}";

    /// <summary>A refusal with the clerk's Japanese sentence.</summary>
    internal static FormOutcome.Refused Refused(string code, string? english) => new(code, RefusalText.For(code, english));

    internal static FormOutcome.Refused Refused(Refusal refusal) => new(refusal.Code, RefusalText.For(refusal));

    internal static string CardSelect(IReadOnlyList<CardSlot> slots, string? selected = null)
    {
        if (slots.Count == 0)
        {
            return "<p class=\"warn\">カードが見つかりません。カードを読み取り機に置くか、仮想カードを用意してください。</p>";
        }

        return Html.Select("card", "カード（読み取り機）", slots.Select(s => (s.Id, s.Label)), selected);
    }

    internal static string ReceiptHtml(IssuanceReceipt receipt)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"ok\" role=\"status\">電子証明書を発行しました。</div>")
            .Append("<h2>交付内容</h2>")
            .Append("<p>住民番号 ").Append(Html.E(receipt.ResidentId)).Append("　カード番号 ").Append(Html.E(receipt.CardId))
            .Append("　交付日時 ").Append(Html.Time(receipt.IssuedAt)).Append(receipt.ByProxy ? "　（代理人による交付）" : string.Empty).Append("</p>")
            .Append(Html.Table(
                ["種類", "区分", "シリアル番号", "有効期限", "期限の根拠", "更新受付開始日", "手数料"],
                receipt.Certificates.Select(c => (IEnumerable<string>)
                [
                    Html.E(KindName(c.Kind)), Html.E(ModeName(c.Mode)), $"<code>{Html.E(c.SerialHex)}</code>", Html.Date(c.ExpiresOn),
                    Html.E(DecidedByName(c.DecidedBy)), Html.Date(c.RenewalOpens), Html.Yen(c.FeeYen),
                ]),
                "発行した電子証明書"))
            .Append("<p>手数料合計：<strong>").Append(Html.Yen(receipt.Certificates.Sum(c => c.FeeYen))).Append("</strong></p>");
        if (receipt.CertificateName is not null)
        {
            html.Append("<p>署名用電子証明書の記載：氏名「").Append(Html.E(receipt.CertificateName)).Append("」　住所「").Append(Html.E(receipt.CertificateAddress)).Append("」</p>");
        }

        var substitutions = receipt.NameSubstitutions.Concat(receipt.AddressSubstitutions).ToList();
        if (substitutions.Count > 0)
        {
            html.Append(Html.Table(["住民票の文字", "証明書の文字（代替文字）", "候補"], substitutions.Select(s => (IEnumerable<string>)
                [Html.E(s.Original), Html.E(s.Substitute), Html.E(string.Join("・", s.Candidates))]), "代替文字"));
        }

        return html.Append("<p class=\"noprint\"><button type=\"button\" data-print>控えを印刷</button></p>").ToString();
    }

    internal static string KindName(string kind) => kind == Jpki.Authority.Contracts.WireNames.Signature ? "署名用電子証明書" : "利用者証明用電子証明書";

    internal static string KindName(CertificateKind kind) => kind == CertificateKind.Signature ? "署名用電子証明書" : "利用者証明用電子証明書";

    internal static string ModeName(IssuanceMode mode) => mode switch
    {
        IssuanceMode.Renewal => "更新",
        IssuanceMode.Reissue => "再発行",
        _ => "新規",
    };

    private static string DecidedByName(string code) => code switch
    {
        "birthday-5" => "5回目の誕生日",
        "birthday-6" => "6回目の誕生日（早期更新）",
        "years-10" => "発行から10年（次期カード）",
        "card" => "カードの有効期限",
        "auth-certificate" => "利用者証明用電子証明書の有効期限",
        _ => code,
    };

    private static string StatusName(ResidentStatus status) => status switch
    {
        ResidentStatus.Active => "住民",
        ResidentStatus.MovedOut => "転出",
        _ => "死亡",
    };

    private static string SexName(string sex) => sex switch
    {
        "Male" => "男",
        "Female" => "女",
        _ => "適用不能",
    };

    private static string CardKindName(string kind) => kind == nameof(CardKind.JukiCard) ? "住基カード" : "マイナンバーカード";

    private static string CardStatusName(string status) => status switch
    {
        "Active" => "有効",
        "Lost" => "紛失",
        _ => "返納",
    };

    internal static string PinKindName(PinKind kind) => kind switch
    {
        PinKind.SignaturePassword => "署名用電子証明書のパスワード（英大文字と数字 6〜16桁）",
        PinKind.AuthenticationPin => "利用者証明用電子証明書の暗証番号（数字4桁）",
        _ => "券面事項入力補助用の暗証番号（数字4桁）",
    };

    internal static string Count(int n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    internal static string Today(TimeProvider clock) => JapanTime.Today(clock).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
