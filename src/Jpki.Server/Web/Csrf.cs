using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Web;

/// <summary>
/// CSRF protection with ASP.NET Core antiforgery (double submit: an HttpOnly SameSite=Strict cookie and a token bound to
/// the signed-in user). Forms carry the token in the hidden field <c>__csrf</c>; JSON calls in the header
/// <see cref="HeaderName"/> (get one from <c>GET /api/counter/csrf</c>). Every state-changing endpoint validates it.
/// </summary>
internal static class Csrf
{
    public const string HeaderName = "X-CSRF-TOKEN";
    public const string CookieName = "jpki-csrf";

    public static string Token(HttpContext http) =>
        http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken!;

    /// <summary>Refuses (400 <c>csrf-token-invalid</c>) a request without a valid token in the form field or the header.</summary>
    public static TBuilder RequireCsrf<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            try
            {
                await antiforgery.ValidateRequestAsync(context.HttpContext).ConfigureAwait(false);
            }
            catch (AntiforgeryValidationException) when (!context.HttpContext.Request.Path.StartsWithSegments("/api"))
            {
                // A staff page: a Japanese page, never JSON. (The counter's own forms re-render themselves with what was typed: FormTokens.)
                return Layout.Page(
                    context.HttpContext,
                    "送信できませんでした",
                    "<div class=\"error\" role=\"alert\"><strong>送信していません</strong>：この画面の送信情報が古くなっています（別のタブでのログイン・ログアウト、ほかの職員のログイン、長時間の放置など）。</div>"
                    + "<p>ブラウザーの「戻る」で前の画面に戻り、再読み込みしてから、もう一度操作してください。</p><p><a href=\"/counter\">住民検索へ</a>　<a href=\"/staff/login\">ログイン画面へ</a></p>",
                    StatusCodes.Status400BadRequest);
            }
            catch (AntiforgeryValidationException)
            {
                return Results.Problem(
                    "The request has no valid CSRF token: send the token of GET /api/counter/csrf in the X-CSRF-TOKEN header, or reload the page.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "CSRF token invalid",
                    extensions: new Dictionary<string, object?> { ["code"] = "csrf-token-invalid" });
            }

            return await next(context).ConfigureAwait(false);
        });
}
