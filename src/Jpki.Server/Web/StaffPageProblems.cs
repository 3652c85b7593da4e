using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jpki.Server.Web;

/// <summary>
/// No raw English JSON on a staff page: an RFC 9457 problem answered to a request for a staff page (<c>/counter</c>,
/// <c>/staff</c>, not <c>/api</c>) — a form field that is too long or holds a control character, a body over the
/// limit, a database that cannot be reached — is turned into a Japanese page with the same status, saying what
/// happened, that nothing was done, and what to do. The API keeps its JSON.
/// </summary>
internal static class StaffPageProblems
{
    /// <summary>The middleware; register it outside the handlers that answer problems.</summary>
    public static WebApplication UseStaffPageProblems(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!IsStaffPage(http.Request.Path))
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            var original = http.Response.Body;
            await using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await next(http).ConfigureAwait(false);
            }
            finally
            {
                http.Response.Body = original;
            }

            if (http.Response.StatusCode >= 400 && http.Response.ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true)
            {
                var code = CodeOf(buffer.ToArray());
                http.Response.ContentLength = null;
                await Layout.Page(http, Title(http.Response.StatusCode), Body(http.Response.StatusCode, code), http.Response.StatusCode).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original, http.RequestAborted).ConfigureAwait(false);
        });
        return app;
    }

    private static bool IsStaffPage(PathString path) =>
        (path.StartsWithSegments("/counter") || path.StartsWithSegments("/staff")) && !path.StartsWithSegments("/api");

    private static string? CodeOf(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()
                : root.TryGetProperty("dependency", out _) ? "dependency"
                : root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status503ServiceUnavailable or StatusCodes.Status507InsufficientStorage => "ただいま処理できません",
        StatusCodes.Status413PayloadTooLarge => "送信された内容が大きすぎます",
        _ => "送信された内容を受け付けられません",
    };

    private static string Body(int status, string? code)
    {
        var reason = code switch
        {
            "text-too-long" => "入力欄のどれかが長すぎます（1項目 1,024 文字まで）。",
            "control-character" => "入力欄に制御文字（改行やタブ以外の特殊な文字）が含まれています。",
            "invalid-utf8" or "invalid-text" => "入力欄に読み取れない文字が含まれています（文字化けした文字のコピーなど）。",
            "unassigned-code-point" => "入力欄に Unicode にない文字が含まれています。",
            "request-too-large" => "送信された内容が、この画面で受け付ける大きさを超えています。",
            "bad-form" => "フォームの内容を読み取れませんでした（項目が多すぎるか、壊れています）。",
            "csrf-token-invalid" => "この画面の送信情報が古くなっています（別のタブでのログイン・ログアウトなど）。",
            "dependency" => status == StatusCodes.Status507InsufficientStorage
                ? "サーバーのディスクに空きがありません。システム管理者に連絡してください。"
                : "データベースまたは認証局に接続できません。しばらくしてから、もう一度操作してください。",
            _ => "送信された内容に誤りがあります。",
        };
        return $"<div class=\"error\" role=\"alert\"><strong>処理していません</strong>：{Html.E(reason)}</div>"
            + "<p>何も登録・変更されていません。ブラウザーの「戻る」で前の画面に戻ると、入力した内容が残っています。内容を直して、もう一度送信してください。</p>"
            + $"<p><a href=\"/counter\">住民検索へ</a>{(code is null ? string.Empty : $"　<small>（コード <code>{Html.E(code)}</code>）</small>")}</p>";
    }
}
