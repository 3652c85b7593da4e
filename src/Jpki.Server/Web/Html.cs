using System.Globalization;
using System.Net;
using System.Text;

namespace Jpki.Server.Web;

/// <summary>Small helpers for server-rendered pages: every text goes through <see cref="E"/>.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => Core.Time.JapanTime.ToJst(at).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    public static string Yen(int yen) => yen.ToString("#,0", CultureInfo.InvariantCulture) + "円";

    /// <summary>A hidden antiforgery field.</summary>
    public static string Csrf(string token) => $"<input type=\"hidden\" name=\"{Csrf_FieldName}\" value=\"{E(token)}\">";

    public const string Csrf_FieldName = "__csrf";

    public static string Field(string id, string label, string type = "text", string? value = null, bool required = false, string? extra = null) =>
        $"<p><label for=\"{id}\">{E(label)}</label><br><input id=\"{id}\" name=\"{id}\" type=\"{type}\"{(value is null ? string.Empty : $" value=\"{E(value)}\"")}{(required ? " required" : string.Empty)}{(extra is null ? string.Empty : " " + extra)}></p>";

    public static string Check(string id, string label, bool isChecked = false) =>
        $"<p><input id=\"{id}\" name=\"{id}\" type=\"checkbox\" value=\"1\"{(isChecked ? " checked" : string.Empty)}> <label for=\"{id}\">{E(label)}</label></p>";

    public static string Error(string? code, string? message) => message is null
        ? string.Empty
        : $"<div class=\"error\" role=\"alert\"><strong>受付できません</strong>：{E(message)}{(code is null ? string.Empty : $" <code>{E(code)}</code>")}</div>";

    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows, string? caption = null)
    {
        var html = new StringBuilder("<table>");
        if (caption is not null)
        {
            html.Append("<caption>").Append(E(caption)).Append("</caption>");
        }

        html.Append("<thead><tr>");
        foreach (var h in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                // Cells are already HTML (callers encode their text).
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
