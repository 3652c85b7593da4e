using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Web;

/// <summary>
/// The staff pages' and the home page's style sheets and the one script they use, as files of this server: the pages'
/// Content-Security-Policy (<see cref="SecurityHeaders.HtmlPolicy"/>) allows no inline style, script or event handler.
/// </summary>
internal static class PageAssets
{
    public const string StaffStyle = "/assets/staff.css";
    public const string HomeStyle = "/assets/home.css";
    public const string PrintScript = "/assets/print.js";

    private const string StaffCss = """
        body{font-family:"IPAexGothic","Noto Sans CJK JP",sans-serif;margin:0;line-height:1.6;color:#222}
        header{background:#1d3d6b;color:#fff;padding:.5rem 1rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
        header a{color:#fff}header nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
        main{max-width:60rem;margin:1rem auto;padding:0 1rem}
        table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left;vertical-align:top}
        .error{background:#fde8e8;border:1px solid #c00;padding:.5rem;margin:.5rem 0}.ok{background:#e8f6e8;border:1px solid #080;padding:.5rem;margin:.5rem 0}
        .warn{color:#a00;font-weight:bold}.hint{margin:0 0 .5rem 1.6rem;color:#444;font-size:.9rem}.sandbox{background:#ffd24d;color:#000;margin:0;padding:.2rem .5rem;width:100%}fieldset{margin:.5rem 0}button{padding:.3rem 1rem}
        @media print{header,.noprint{display:none}}
        """;

    private const string HomeCss = "body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.6}code{background:#eee;padding:0 .2em}\n";

    /// <summary>Buttons marked <c>data-print</c> print the page (the 控え of an issuance, the 照会書 of a proxy application).</summary>
    private const string PrintJs = """
        document.querySelectorAll('[data-print]').forEach(function (button) {
          button.addEventListener('click', function () { window.print(); });
        });
        """;

    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(StaffStyle, (HttpContext http) => Asset(http, StaffCss, "text/css; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet(HomeStyle, (HttpContext http) => Asset(http, HomeCss, "text/css; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet(PrintScript, (HttpContext http) => Asset(http, PrintJs, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Asset(HttpContext http, string content, string type)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(content, type);
    }
}
