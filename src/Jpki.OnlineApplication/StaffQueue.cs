using System.Globalization;
using System.Text;
using Jpki.Core.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jpki.OnlineApplication;

/// <summary>
/// <c>/e-application/staff</c>: the verified applications with their match against the resident register, and the
/// clerk's decision (処理済 / 却下 with a note). Signed-in staff only (the host's staff policy).
/// </summary>
internal static class StaffQueue
{
    public static IEndpointRouteBuilder MapStaffQueue(this IEndpointRouteBuilder endpoints, string? staffPolicy, Func<RouteHandlerBuilder, RouteHandlerBuilder> protectStateChange)
    {
        if (staffPolicy is null || endpoints.ServiceProvider.GetService<IOptions<AuthorizationOptions>>()?.Value.GetPolicy(staffPolicy) is null)
        {
            // No staff sign-in configured (it comes with the counter's web part): show nothing rather than fail or expose the queue.
            endpoints.MapGet("/e-application/staff/{**rest}", () => Html.Page(
                "職員ログインが設定されていません",
                "<p>職員用の受付一覧は、職員ログイン（窓口の職員認証）が設定されたサーバーでのみ利用できます。</p>",
                StatusCodes.Status503ServiceUnavailable));
            return endpoints;
        }

        var staff = endpoints.MapGroup("/e-application/staff").RequireAuthorization(staffPolicy);
        staff.MapGet("/", ListAsync);
        staff.MapGet("/{receipt}", DetailAsync);
        staff.MapGet("/{receipt}/request.json", async (string receipt, IApplicationStore store, CancellationToken ct) =>
            await store.FindAsync(receipt, ct).ConfigureAwait(false) is { } a ? Results.File(a.Document, "application/json", receipt + ".json") : Results.NotFound());
        staff.MapGet("/{receipt}/request.json.p7s", async (string receipt, IApplicationStore store, CancellationToken ct) =>
            await store.FindAsync(receipt, ct).ConfigureAwait(false) is { } a ? SignatureFile(a) : Results.NotFound());
        staff.MapGet("/{receipt}/signature", async (string receipt, IApplicationStore store, CancellationToken ct) =>
            await store.FindAsync(receipt, ct).ConfigureAwait(false) is { } a ? SignatureFile(a) : Results.NotFound());
        staff.MapGet("/{receipt}/verify", ReverifyAsync);
        // CSRF as on every staff state change (token in the form, antiforgery cookie), plus the same-origin check in the handler.
        protectStateChange(staff.MapPost("/{receipt}", DecideAsync));
        return endpoints;
    }

    private static async Task<IResult> ListAsync(IApplicationStore store, IResidentDirectory residents, CancellationToken cancellationToken)
    {
        var applications = await store.ListAsync(200, cancellationToken).ConfigureAwait(false);
        var html = new StringBuilder();
        html.Append("<p>署名を検証して受け付けた電子申請です。住民記録との照合は表示のたびに行います。</p>");
        if (applications.Count == 0)
        {
            html.Append("<p id=\"empty\">受け付けた申請はありません。</p>");
            return Html.Page("電子申請 受付一覧", html.ToString());
        }

        html.Append("<table id=\"queue\"><tr><th>受付番号</th><th>受付日時</th><th>証明書</th><th>申請者（証明書）</th><th>署名</th><th>住民記録</th><th>状態</th></tr>");
        foreach (var a in applications)
        {
            var match = await MatchAsync(residents, a, cancellationToken).ConfigureAwait(false);
            html.Append("<tr data-receipt=\"").Append(Html.E(a.Receipt)).Append("\"><td><a href=\"/e-application/staff/").Append(Uri.EscapeDataString(a.Receipt)).Append("\">")
                .Append(Html.E(a.Receipt)).Append("</a></td><td>").Append(Html.E(When(a.SubmittedAt))).Append("</td><td>")
                .Append(Html.E(ApplicationRequest.TitleOf(a.Kind))).Append("</td><td>").Append(Html.E(a.Name)).Append("<br><span class=\"muted\">")
                .Append(Html.E(a.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("</span></td><td>")
                .Append(Html.E(a.VerdictCode == "valid" ? "有効" : a.VerdictCode)).Append("</td><td class=\"match").Append(match.NeedsAttention ? " flag" : "").Append("\">")
                .Append(Html.E(match.Label)).Append("</td><td class=\"status\">").Append(Html.E(StatusLabel(a.Status))).Append("</td></tr>");
        }

        html.Append("</table>");
        return Html.Page("電子申請 受付一覧", html.ToString());
    }

    /// <summary>The kept signature: a .p7s (CAdES), a detached XAdES (.xml) or the signed PDF, each at B-LTA.</summary>
    private static IResult SignatureFile(StoredApplication a) => a.SignatureFormat switch
    {
        "pades" => Results.File(a.Signature, "application/pdf", a.Receipt + ".signed.pdf"),
        "xades" => Results.File(a.Signature, "application/xml", a.Receipt + ".json.xml"),
        _ => Results.File(a.Signature, "application/pkcs7-signature", a.Receipt + ".json.p7s"),
    };

    private static string FormatLabel(string format) => format switch
    {
        "pades" => "署名付きＰＤＦ",
        "xades" => "ＸＭＬ署名",
        _ => "分離署名ファイル（.p7s）",
    };

    /// <summary>
    /// Validates the kept signature now, as a clerk does years later: the signature, its time-stamps (proof of existence
    /// at their times) and the certificates and revocation data embedded at acceptance (ETSI EN 319 102-1 shaped report).
    /// </summary>
    private static async Task<IResult> ReverifyAsync(string receipt, HttpContext http, IApplicationStore store, SignedRequestVerifier verifier, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(receipt, cancellationToken).ConfigureAwait(false) is not { } a)
        {
            return Html.Page("申請が見つかりません", "<p><a href=\"/e-application/staff/\">受付一覧へ</a></p>", StatusCodes.Status404NotFound);
        }

        var report = await verifier.ReverifyAsync(a.SignatureFormat, a.Signature, a.Document, cancellationToken).ConfigureAwait(false);
        Log.Reverified(verifier.Logger, a.Receipt, StaffOf(http), report.Indication.ToString(), string.Join(",", report.Signatures.Select(s => s.SubIndication?.ToString() ?? "-")));
        var html = new StringBuilder();
        html.Append("<p>保存した署名（").Append(Html.E(FormatLabel(a.SignatureFormat))).Append("）を、いまの時刻で検証しました。</p>");
        html.Append("<p>総合判定: <strong id=\"indication\">").Append(Html.E(IndicationText(report.Indication))).Append("</strong></p>");
        foreach (var s in report.Signatures)
        {
            Html.Table(html,
            [
                ("判定", IndicationText(s.Indication) + (s.SubIndication is { } sub ? "（" + sub + "）" : "")),
                ("署名レベル", s.Level),
                ("署名の存在が証明された時刻", When(s.BestSignatureTime) + (s.BestSignatureTimeProven ? "（タイムスタンプによる）" : "（証明なし: 検証時刻）")),
                ("タイムスタンプ", string.Join("、", s.Timestamps.Select(t => $"{t.Kind} {(t.GenTime is { } g ? When(g) : "—")} {IndicationText(t.Indication)}"))),
                ("埋め込まれた検証情報", $"証明書 {s.Embedded.Certificates}、CRL {s.Embedded.Crls}、OCSP {s.Embedded.OcspResponses}"),
                ("詳細", s.Message),
            ], "reverify-" + s.Id);
        }

        html.Append("<p><a href=\"/e-application/staff/").Append(Uri.EscapeDataString(a.Receipt)).Append("\">申請へ戻る</a></p>");
        return Html.Page("署名の再検証 " + a.Receipt, html.ToString());
    }

    private static string IndicationText(Jpki.Verification.Signatures.Indication indication) => indication switch
    {
        Jpki.Verification.Signatures.Indication.TotalPassed => "有効（TOTAL-PASSED）",
        Jpki.Verification.Signatures.Indication.TotalFailed => "無効（TOTAL-FAILED）",
        _ => "判定できません（INDETERMINATE）",
    };

    private static async Task<IResult> DetailAsync(string receipt, HttpContext http, IApplicationStore store, IResidentDirectory residents, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(receipt, cancellationToken).ConfigureAwait(false) is not { } a)
        {
            return Html.Page("申請が見つかりません", "<p><a href=\"/e-application/staff/\">受付一覧へ</a></p>", StatusCodes.Status404NotFound);
        }

        var match = await MatchAsync(residents, a, cancellationToken).ConfigureAwait(false);
        var html = new StringBuilder();
        html.Append("<h2>署名の検証</h2>");
        Html.Table(html,
        [
            ("判定", a.VerdictCode == "valid" ? "有効（署名・証明書の有効性・失効確認）" : a.VerdictCode),
            ("検証日時", When(a.VerifiedAt)),
            ("署名者（主体者名）", a.SignerSubject),
            ("証明書シリアル番号", a.SignerSerialHex),
        ], isCode: label => label is "署名者（主体者名）" or "証明書シリアル番号");
        html.Append("<h2>申請者（署名用電子証明書の基本4情報）</h2>");
        Html.Table(html,
        [
            ("氏名", a.Name + (a.NameSubstitutions.Contains('1', StringComparison.Ordinal) ? "（代替文字あり: " + a.NameSubstitutions + "）" : "")),
            ("住所", a.Address + (a.AddressSubstitutions.Contains('1', StringComparison.Ordinal) ? "（代替文字あり: " + a.AddressSubstitutions + "）" : "")),
            ("生年月日", a.DateOfBirth.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)),
            ("性別", a.Sex switch { 1 => "男", 2 => "女", _ => "—" }),
        ]);
        html.Append("<h2>住民記録との照合</h2><p id=\"match\" class=\"").Append(match.NeedsAttention ? "flag" : "").Append("\">").Append(Html.E(match.Label)).Append("</p>");
        if (match.Resident is { } r)
        {
            Html.Table(html, [("住民番号", r.Id), ("氏名", r.Name), ("住所（住民記録）", r.Address), ("世帯番号", r.HouseholdId)], "resident");
        }

        html.Append("<h2>申請内容</h2>");
        if (RequestDocument.Decode(a.Document, out _) is { } request)
        {
            Html.Table(html, RequestDocument.Describe(request), "request");
        }

        html.Append("<p><a href=\"/e-application/staff/").Append(Uri.EscapeDataString(a.Receipt)).Append("/request.json\">署名された申請書</a> ・ ")
            .Append("<a href=\"/e-application/staff/").Append(Uri.EscapeDataString(a.Receipt)).Append("/signature\" id=\"signature-download\">署名ファイル（").Append(Html.E(FormatLabel(a.SignatureFormat))).Append("）</a> ・ ")
            .Append("<a href=\"/e-application/staff/").Append(Uri.EscapeDataString(a.Receipt)).Append("/verify\" id=\"reverify\">いま再検証する</a></p>");
        html.Append("<h2>処理</h2><p>状態: <strong id=\"status\">").Append(Html.E(StatusLabel(a.Status))).Append("</strong>");
        if (a.HandledBy is not null)
        {
            html.Append("（<code>").Append(Html.E(a.HandledBy)).Append("</code>、").Append(Html.E(When(a.HandledAt!.Value))).Append("）</p><p>メモ: <span id=\"note\">").Append(Html.E(a.StaffNote)).Append("</span>");
        }

        html.Append("</p>");
        if (a.Status == ApplicationStatus.Received)
        {
            html.Append("<form method=\"post\" id=\"decide\">").Append(Html.AntiforgeryField(http)).Append("<label>メモ <input type=\"text\" name=\"note\" id=\"note-input\" maxlength=\"200\"></label>")
                .Append("<button type=\"submit\" name=\"action\" value=\"done\" id=\"mark-done\">処理済にする</button>")
                .Append("<button type=\"submit\" name=\"action\" value=\"reject\" id=\"mark-rejected\">却下する</button></form>");
        }

        html.Append("<p><a href=\"/e-application/staff/\">受付一覧へ</a></p>");
        return Html.Page("申請 " + a.Receipt, html.ToString());
    }

    private static async Task<IResult> DecideAsync(string receipt, HttpRequest http, IApplicationStore store, SignedRequestVerifier verifier, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!SameOrigin(http))
        {
            return Results.Problem("Only staff of the municipality decide applications.", statusCode: StatusCodes.Status403Forbidden,
                extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });
        }

        if (!http.HasFormContentType || http.ContentLength is > 8 * 1024)
        {
            return Results.Problem("Send the form as application/x-www-form-urlencoded, at most 8 KB.", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["code"] = "bad-form" });
        }

        var form = await http.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        ApplicationStatus? status = (string?)form["action"] switch
        {
            "done" => ApplicationStatus.Done,
            "reject" => ApplicationStatus.Rejected,
            _ => null,
        };
        var note = ((string?)form["note"] ?? "").Trim();
        if (status is null || note.Length > 200 || note.Any(char.IsControl))
        {
            return Results.Problem("decision is approve or reject; note is at most 200 characters without control characters.", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["code"] = "bad-decision" });
        }

        if (status == ApplicationStatus.Rejected && note.Length == 0)
        {
            return Html.Page("却下の理由を入力してください", $"<p class=\"ng\">却下するときはメモに理由を入力してください。</p><p><a href=\"/e-application/staff/{Uri.EscapeDataString(receipt)}\">戻る</a></p>", StatusCodes.Status400BadRequest);
        }

        // The staff id (as the counter journal records it), not the display name.
        var staff = StaffOf(http.HttpContext);
        if (!await store.DecideAsync(receipt, status.Value, note, staff, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return Results.Conflict();
        }

        Log.Decided(verifier.Logger, receipt, staff, status.Value == ApplicationStatus.Done ? "done" : "rejected");
        return Results.Redirect("/e-application/staff/" + Uri.EscapeDataString(receipt));
    }

    /// <summary>The staff id (as the counter journal records it), not the display name.</summary>
    private static string StaffOf(HttpContext http) =>
        http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? http.User.Identity?.Name ?? "staff";

    private static async Task<ResidentMatch> MatchAsync(IResidentDirectory residents, StoredApplication a, CancellationToken cancellationToken)
        => ResidentMatch.Classify(a.Address, await residents.FindAsync(a.Name, a.DateOfBirth, cancellationToken).ConfigureAwait(false));

    /// <summary>A state-changing staff request must come from our own pages (Origin, or Sec-Fetch-Site, when the browser sends them).</summary>
    private static bool SameOrigin(HttpRequest http)
    {
        var origin = http.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, http.Host.Value, StringComparison.OrdinalIgnoreCase);
        }

        var site = http.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site is "same-origin" or "none";
    }

    private static string StatusLabel(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Done => "処理済",
        ApplicationStatus.Rejected => "却下",
        _ => "受付済",
    };

    private static string When(DateTimeOffset t) => JapanTime.ToJst(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
