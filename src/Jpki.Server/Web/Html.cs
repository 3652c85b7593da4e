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

    /// <summary>A group of radio buttons in a fieldset; none is chosen unless <paramref name="chosen"/> names one (no silent default).</summary>
    public static string Radios(string name, string legend, IEnumerable<(string Value, string Label)> options, string? chosen, bool required = true)
    {
        var html = new StringBuilder("<fieldset><legend>").Append(E(legend)).Append("</legend>");
        var i = 0;
        foreach (var (value, label) in options)
        {
            var id = $"{name}-{i++}";
            html.Append("<p><input type=\"radio\" id=\"").Append(id).Append("\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append('"')
                .Append(value == chosen ? " checked" : string.Empty).Append(required ? " required" : string.Empty).Append("> <label for=\"").Append(id).Append("\">")
                .Append(E(label)).Append("</label></p>");
        }

        return html.Append("</fieldset>").ToString();
    }

    /// <summary>A drop-down; the first option is an empty "選んでください" unless <paramref name="placeholder"/> is null.</summary>
    public static string Select(string id, string label, IEnumerable<(string Value, string Label)> options, string? chosen, string? placeholder = "選んでください", bool required = true)
    {
        var html = new StringBuilder("<p><label for=\"").Append(id).Append("\">").Append(E(label)).Append("</label><br><select id=\"").Append(id)
            .Append("\" name=\"").Append(id).Append('"').Append(required ? " required" : string.Empty).Append('>');
        if (placeholder is not null)
        {
            html.Append("<option value=\"\">").Append(E(placeholder)).Append("</option>");
        }

        foreach (var (value, text) in options)
        {
            html.Append("<option value=\"").Append(E(value)).Append('"').Append(value == chosen ? " selected" : string.Empty).Append('>').Append(E(text)).Append("</option>");
        }

        return html.Append("</select></p>").ToString();
    }

    /// <summary>A hidden field.</summary>
    public static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    /// <summary>A green status box (role=status).</summary>
    public static string Notice(string? text) => string.IsNullOrEmpty(text) ? string.Empty : $"<div class=\"ok\" role=\"status\">{E(text)}</div>";

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
