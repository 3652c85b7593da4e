using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.OnlineApplication;

/// <summary>The pages' common frame (Japanese, no external resources) and HTML encoding.</summary>
internal static class Html
{
    /// <summary>The pages' style sheet (no inline style: the pages' Content-Security-Policy allows none).</summary>
    public const string StylePath = "/e-application/assets/style.css";

    /// <summary>The script of the signing page (its helper address in <c>data-helper</c> of the button).</summary>
    public const string SignScriptPath = "/e-application/assets/sign.js";

    public const string Style = """
        body{font-family:"IPAexGothic",sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;line-height:1.7;color:#222}
        header{border-bottom:3px solid #1d4e89;margin-bottom:1rem}header a{color:#1d4e89;text-decoration:none;font-weight:bold}
        fieldset{border:1px solid #bbb;margin:1rem 0;padding:.5rem 1rem}legend{font-weight:bold}
        label{display:block;margin:.3rem 0}input[type=text],select{font-size:1rem;padding:.2rem;min-width:20rem}
        button,.button{font-size:1rem;padding:.4rem 1.2rem;margin:.3rem .3rem .3rem 0;background:#1d4e89;color:#fff;border:0;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}
        pre{background:#f4f4f4;padding:.6rem;white-space:pre-wrap;word-break:break-all}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef3f9}
        .ok{background:#e6f4ea;border-left:6px solid #1e8e3e;padding:.6rem 1rem}.ng{background:#fce8e6;border-left:6px solid #c5221f;padding:.6rem 1rem}
        .flag{color:#c5221f;font-weight:bold}.muted{color:#666;font-size:.9rem}
        """;

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static IResult Page(string title, string body, int status = StatusCodes.Status200OK, string? scriptPath = null)
    {
        var html = new StringBuilder(body.Length + 2048);
        html.Append("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(E(title)).Append(" | 電子申請</title><link rel=\"stylesheet\" href=\"").Append(StylePath).Append("\"></head><body>")
            .Append("<header><a href=\"/e-application/\">OpenJpki市 電子申請サービス</a></header><main>")
            .Append("<h1>").Append(E(title)).Append("</h1>")
            .Append(body)
            .Append("</main>");
        if (scriptPath is not null)
        {
            html.Append("<script src=\"").Append(E(scriptPath)).Append("\"></script>");
        }

        html.Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The hidden form field of the host's antiforgery token (its field name and value).</summary>
    public static string AntiforgeryField(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>A two-column table; the values of the rows whose label <paramref name="isCode"/> accepts are identifiers
    /// (a certificate's subject, a serial), shown as <c>code</c>, not as text in the page's language.</summary>
    public static void Table(StringBuilder html, IEnumerable<(string Label, string Value)> rows, string? id = null, Func<string, bool>? isCode = null)
    {
        html.Append(id is null ? "<table>" : $"<table id=\"{E(id)}\">");
        foreach (var (label, value) in rows)
        {
            var code = isCode?.Invoke(label) == true;
            html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(code ? "<code>" : string.Empty).Append(E(value)).Append(code ? "</code>" : string.Empty).Append("</td></tr>");
        }

        html.Append("</table>");
    }
}
