using System.Security.Claims;
using System.Text;
using Jpki.Server.Staff;
using Microsoft.AspNetCore.Http;

namespace Jpki.Server.Web;

/// <summary>The staff pages' frame: title, navigation, who is signed in, the logout button.</summary>
internal static class Layout
{
    /// <summary>A staff page. Never cached (no-store): it may hold personal data, and Back must fetch it again.</summary>
    /// <param name="http">The request.</param>
    /// <param name="title">The page title (also the h1).</param>
    /// <param name="body">The page body (HTML).</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="refreshSeconds">Reload the page after this many seconds (progress pages), or null.</param>
    public static IResult Page(HttpContext http, string title, string body, int status = StatusCodes.Status200OK, int? refreshSeconds = null)
    {
        var user = http.User;
        http.Response.Headers.CacheControl = "no-store";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">")
            .Append(refreshSeconds is { } seconds ? $"<meta http-equiv=\"refresh\" content=\"{seconds}\">" : string.Empty).Append("<title>")
            .Append(Html.E(title)).Append(" — OpenJpki 窓口</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(PageAssets.StaffStyle).Append("\"><script src=\"").Append(PageAssets.PrintScript).Append("\" defer></script>")
            .Append("</head><body><header>")
            .Append("<strong>電子証明書 窓口</strong>");
        if (user.Identity?.IsAuthenticated == true)
        {
            html.Append("<nav aria-label=\"メインメニュー\"><ul>")
                .Append("<li><a href=\"/counter\">住民検索</a></li>")
                .Append("<li><a href=\"/counter/proxy\">代理人申請</a></li>")
                .Append("<li><a href=\"/counter/report\">日報</a></li>");
            if (user.IsInRole(StaffClaims.SupervisorRole))
            {
                html.Append("<li><a href=\"/staff/accounts\">職員管理</a></li>");
            }

            html.Append("<li><a href=\"/staff/password\">パスワード変更</a></li></ul></nav>")
                .Append("<span>").Append(Html.E(StaffClaims.DisplayName(user))).Append("（")
                .Append(Html.E(user.IsInRole(StaffClaims.SupervisorRole) ? "監督者" : "窓口職員")).Append("）</span>")
                .Append("<form method=\"post\" action=\"/staff/logout\">").Append(Html.Csrf(Csrf.Token(http)))
                .Append("<button type=\"submit\">ログアウト</button></form>");
        }

        if (http.RequestServices.GetService(typeof(Counter.CounterWeb)) is Counter.CounterWeb { DevelopmentCardKey: true })
        {
            html.Append("<p class=\"sandbox\" role=\"note\" id=\"sandbox-card-key\">開発用のカード管理鍵で動作中（サンドボックス）：この鍵は公開されています。ここで発行したカードと電子証明書は試験用です。実際の窓口では、起動時にカード管理鍵のファイルを指定してください。</p>");
        }

        if (http.RequestServices.GetService(typeof(Counter.CounterWeb)) is Counter.CounterWeb { AlwaysOpen: true })
        {
            html.Append("<p class=\"sandbox\" role=\"note\">試験環境（サンドボックス）：受付時間の制限を外しています（JPKI_COUNTER_ALWAYS_OPEN / counter.json）。実際の窓口では使わないでください。</p>");
        }

        html.Append("</header><main><h1>").Append(Html.E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string? UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}
