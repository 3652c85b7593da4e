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
/// The staff pages of the counter in Japanese (server-rendered, no script): resident search, the resident page with
/// certificates and their renewal windows, edits, CSV import. Issuance, PIN reset, revocation, the proxy queue and the
/// daily report are in the other <c>*Pages</c> classes.
/// </summary>
internal static partial class CounterPages
{
    public static IEndpointRouteBuilder MapCounterPages(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("/counter").RequireAuthorization(StaffPolicies.Clerk).ExcludeFromDescription();
        pages.MapGet("/", SearchAsync);
        pages.MapGet("/residents/{id}", (string id, HttpContext http, CounterOperations ops) => ResidentPageAsync(http, ops, id, null, null));
        pages.MapPost("/residents/{id}/edit", EditAsync).RequireCsrf();
        pages.MapPost("/residents/{id}/changes", ChangeAsync).RequireCsrf();
        pages.MapGet("/import", (HttpContext http) => ImportPage(http, null));
        pages.MapPost("/import", ImportAsync).RequireCsrf();
        MapIssuance(pages);
        MapCardActions(pages);
        MapProxy(pages);
        MapReport(pages);
        return endpoints;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CounterOperations ops, string? q, string? dob)
    {
        var body = new StringBuilder();
        body.Append("<form method=\"get\" action=\"/counter\" role=\"search\">")
            .Append(Html.Field("q", "住民番号・氏名・フリガナ", value: q))
            .Append(Html.Field("dob", "生年月日", "date", value: dob))
            .Append("<p><button type=\"submit\">検索</button> <a href=\"/counter/import\">住民データの取込（CSV）</a></p></form>");
        DateOnly? birth = DateOnly.TryParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        if (!string.IsNullOrWhiteSpace(q) || birth is not null)
        {
            var found = await ops.Web.Store.SearchResidentsAsync(new ResidentQuery(q, birth), http.RequestAborted).ConfigureAwait(false);
            body.Append("<h2>検索結果（").Append(found.Count).Append("件）</h2>");
            body.Append(found.Count == 0
                ? "<p>該当する住民はいません。</p>"
                : Html.Table(
                    ["住民番号", "氏名", "フリガナ", "生年月日", "住所", "状態"],
                    found.Select(r => (IEnumerable<string>)
                    [
                        $"<a href=\"/counter/residents/{Uri.EscapeDataString(r.Id)}\">{Html.E(r.Id)}</a>",
                        $"<a href=\"/counter/residents/{Uri.EscapeDataString(r.Id)}\">{Html.E(r.Name)}</a>",
                        Html.E(r.NameKana), Html.Date(r.DateOfBirth), Html.E(r.Address), Html.E(StatusName(r.Status)),
                    ]),
                    "検索結果"));
        }

        return Layout.Page(http, "住民検索", body.ToString());
    }

    internal static async Task<IResult> ResidentPageAsync(HttpContext http, CounterOperations ops, string id, string? error, string? done)
    {
        var detail = await ops.ResidentAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (detail is null)
        {
            return Layout.Page(http, "住民が見つかりません", Html.Error(CounterCodes.ResidentNotFound, RefusalText.For(CounterCodes.ResidentNotFound, null)), StatusCodes.Status404NotFound);
        }

        var r = detail.Resident;
        var token = Csrf.Token(http);
        var enc = Uri.EscapeDataString(r.Id);
        var body = new StringBuilder();
        body.Append(error ?? string.Empty);
        if (done is not null)
        {
            body.Append("<div class=\"ok\" role=\"status\">").Append(Html.E(done)).Append("</div>");
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
            .Append($"<li><a href=\"/counter/residents/{enc}/revoke\">電子証明書の失効</a></li>")
            .Append($"<li><a href=\"/counter/proxy/new?resident={enc}\">代理人による申請（照会書）</a></li></ul>");
        body.Append("<h2>カード</h2>").Append(detail.Cards.Count == 0
            ? "<p>登録されたカードはありません。</p>"
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
        body.Append("<h2>記載事項の修正（失効を伴わない項目）</h2>")
            .Append($"<form method=\"post\" action=\"/counter/residents/{enc}/edit\">").Append(Html.Csrf(token))
            .Append(Html.Field("kana", "フリガナ", value: r.NameKana))
            .Append(Html.Field("household", "世帯番号", value: r.HouseholdId))
            .Append(Html.Check("guardianship", "成年被後見人", r.UnderGuardianship))
            .Append("<p><button type=\"submit\">修正する</button></p></form>");
        body.Append("<h2>異動の届出（署名用電子証明書は失効します）</h2>")
            .Append($"<form method=\"post\" action=\"/counter/residents/{enc}/changes\">").Append(Html.Csrf(token))
            .Append("<p><label for=\"kind\">異動の種類</label><br><select id=\"kind\" name=\"kind\">")
            .Append("<option value=\"MoveWithin\">転居</option><option value=\"MoveIn\">転入</option><option value=\"MoveOut\">転出</option><option value=\"NameChange\">氏名の変更</option>")
            .Append("<option value=\"BirthDateCorrection\">生年月日の訂正</option><option value=\"SexCorrection\">性別の訂正</option>")
            .Append("<option value=\"Death\">死亡</option><option value=\"CardLoss\">カードの紛失</option></select></p>")
            .Append(Html.Field("value", "新しい住所・氏名、または紛失したカード番号"))
            .Append(Html.Field("newKana", "新しいフリガナ（氏名の変更のとき）"))
            .Append(Html.Field("newBirthDate", "正しい生年月日（生年月日の訂正のとき）", type: "date"))
            .Append("<p><label for=\"newSex\">正しい性別（性別の訂正のとき）</label><br><select id=\"newSex\" name=\"newSex\">")
            .Append("<option value=\"\"></option><option value=\"1\">男</option><option value=\"2\">女</option><option value=\"9\">適用不能</option></select></p>")
            .Append("<p><button type=\"submit\">届出を登録する</button></p></form>");
        return Layout.Page(http, r.Name + "（" + r.Id + "）", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> EditAsync(string id, HttpContext http, CounterOperations ops)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var outcome = await ops.Web.Registry.EditAsync(new ResidentEdit(id, form["kana"].ToString(), form["guardianship"] == "1", form["household"].ToString()), CounterApi.Staff(http), http.RequestAborted).ConfigureAwait(false);
        return await ResidentPageAsync(http, ops, id, outcome.IsAllowed ? null : Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message)), outcome.IsAllowed ? "記載事項を修正しました。" : null).ConfigureAwait(false);
    }

    private static async Task<IResult> ChangeAsync(string id, HttpContext http, CounterOperations ops)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var value = form["value"].ToString();
        if (!Enum.TryParse<ResidentChangeKind>(form["kind"].ToString(), out var kind))
        {
            return await ResidentPageAsync(http, ops, id, Html.Error(CounterOperations.BadRequest, RefusalText.For(CounterOperations.BadRequest, null)), null).ConfigureAwait(false);
        }

        var kana = form["newKana"].ToString();
        DateOnly? birthDate = DateOnly.TryParseExact(form["newBirthDate"].ToString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsedDate) ? parsedDate : null;
        Jpki.Core.Identity.Sex? sex = form["newSex"].ToString() switch
        {
            "1" => Jpki.Core.Identity.Sex.Male,
            "2" => Jpki.Core.Identity.Sex.Female,
            "9" => Jpki.Core.Identity.Sex.NotApplicable,
            _ => null,
        };
        var change = kind switch
        {
            ResidentChangeKind.NameChange => new ResidentChange(kind, id, NewName: value, NewNameKana: kana.Length == 0 ? null : kana),
            ResidentChangeKind.CardLoss => new ResidentChange(kind, id, CardId: value),
            ResidentChangeKind.Death => new ResidentChange(kind, id),
            ResidentChangeKind.BirthDateCorrection => new ResidentChange(kind, id, NewDateOfBirth: birthDate),
            ResidentChangeKind.SexCorrection => new ResidentChange(kind, id, NewSex: sex),
            _ => new ResidentChange(kind, id, NewAddress: value),
        };
        var outcome = await ops.Web.Changes.ApplyAsync(change, CounterApi.Staff(http), http.RequestAborted).ConfigureAwait(false);
        if (!outcome.IsAllowed)
        {
            return await ResidentPageAsync(http, ops, id, Html.Error(outcome.Code, RefusalText.For(outcome.Code!, outcome.Message)), null).ConfigureAwait(false);
        }

        var done = outcome.Value!.AllRevocationsDone ? "異動を登録し、対象の電子証明書を失効させました。" : "異動を登録しました。失効処理は認証局の応答待ちで、自動的に再試行されます。";
        return await ResidentPageAsync(http, ops, id, null, done).ConfigureAwait(false);
    }

    private static IResult ImportPage(HttpContext http, string? result)
    {
        var body = new StringBuilder(result ?? string.Empty);
        body.Append("<p>形式：UTF-8、見出し行 <code>id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id</code>。誤りのある行が一つでもあれば何も取り込みません。</p>")
            .Append("<form method=\"post\" action=\"/counter/import\" enctype=\"multipart/form-data\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(Html.Field("file", "CSVファイル", "file", required: true, extra: "accept=\".csv,text/csv\""))
            .Append("<p><button type=\"submit\">取り込む</button></p></form>");
        return Layout.Page(http, "住民データの取込", body.ToString());
    }

    private static async Task<IResult> ImportAsync(HttpContext http, CounterOperations ops)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        if (form.Files.GetFile("file") is not { } file)
        {
            return ImportPage(http, Html.Error(CounterOperations.BadRequest, "ファイルを選んでください。"));
        }

        await using var stream = file.OpenReadStream();
        var result = await ops.Web.Registry.ImportCsvAsync(stream, CounterApi.Staff(http), http.RequestAborted).ConfigureAwait(false);
        return ImportPage(http, result.Accepted
            ? $"<div class=\"ok\" role=\"status\">{result.Residents.Count}件を取り込みました。</div>"
            : Html.Error("rejected", "取り込めませんでした。誤りのある行：") + Html.Table(["行", "コード", "内容"], result.Errors.Select(e => (IEnumerable<string>)[e.Line.ToString(CultureInfo.InvariantCulture), Html.E(e.Code), Html.E(e.Message)]), "誤りのある行"));
    }

    internal static string CardSelect(IReadOnlyList<CardSlot> slots, string? selected = null)
    {
        if (slots.Count == 0)
        {
            return "<p class=\"warn\">カードが見つかりません。カードを読み取り機に置くか、仮想カードを用意してください。</p>";
        }

        var html = new StringBuilder("<p><label for=\"card\">カード（読み取り機）</label><br><select id=\"card\" name=\"card\" required>");
        foreach (var slot in slots)
        {
            html.Append("<option value=\"").Append(Html.E(slot.Id)).Append('"').Append(slot.Id == selected ? " selected" : string.Empty).Append('>')
                .Append(Html.E(slot.Label)).Append("</option>");
        }

        return html.Append("</select></p>").ToString();
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
            .Append("<p>手数料合計：<strong>").Append(Html.Yen(receipt.TotalFeeYen)).Append("</strong></p>");
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

        return html.Append("<p class=\"noprint\"><button type=\"button\" onclick=\"window.print()\">控えを印刷</button></p>").ToString();
    }

    internal static string KindName(string kind) => kind == Jpki.Authority.Contracts.WireNames.Signature ? "署名用電子証明書" : "利用者証明用電子証明書";

    internal static string KindName(CertificateKind kind) => kind == CertificateKind.Signature ? "署名用電子証明書" : "利用者証明用電子証明書";

    private static string ModeName(IssuanceMode mode) => mode switch
    {
        IssuanceMode.Renewal => "更新",
        IssuanceMode.Reissue => "再発行",
        _ => "新規",
    };

    private static string DecidedByName(string code) => code switch
    {
        "birthday-5" => "5回目の誕生日",
        "birthday-6" => "6回目の誕生日（早期更新）",
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

    internal static string Today(TimeProvider clock) => JapanTime.Today(clock).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
