using System.Text.Json;
using Jpki.Server.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Web;

/// <summary>
/// Keeps what a clerk typed through a new login: when a staff form under <c>/counter</c> is posted after the session
/// ended (8 hours, a logout in another tab), the non-secret fields (<see cref="FormValues.IsSecret"/>: never PINs) go
/// into a short-lived, encrypted, HttpOnly cookie scoped to <c>/counter</c>, and the sign-in then leads back to the same
/// address, whose GET shows the form filled in again (<see cref="Take"/>). The cookie lives in the clerk's own browser;
/// the server stores nothing for an anonymous request.
/// </summary>
internal static class FormDrafts
{
    private const string CookieName = "jpki-draft";
    private const int MaxCookieLength = 3800;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>The middleware; runs before authentication challenges the post.</summary>
    public static WebApplication UseFormDrafts(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/counter") && http.Request.HasFormContentType
                && !(await http.AuthenticateAsync(StaffClaims.Scheme).ConfigureAwait(false)).Succeeded)
            {
                await KeepAsync(http).ConfigureAwait(false);
            }

            await next(http).ConfigureAwait(false);
        });
        return app;
    }

    /// <summary>The draft kept for the current path (and removes it), or null.</summary>
    public static FormValues? Take(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.Cookies.TryGetValue(CookieName, out var cookie))
        {
            return null;
        }

        http.Response.Cookies.Delete(CookieName, Options(http));
        try
        {
            var json = Protector(http).Unprotect(cookie);
            var draft = JsonSerializer.Deserialize<Draft>(json);
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            return draft is not null && draft.Path == http.Request.Path.Value && clock.GetUtcNow() - draft.At <= Lifetime
                ? FormValues.From(draft.Fields, restored: true)
                : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static async Task KeepAsync(HttpContext http)
    {
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return;
        }

        var values = FormValues.From(form);
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var draft = new Draft(http.Request.Path.Value ?? "/", clock.GetUtcNow(), values.Pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        var protectedDraft = Protector(http).Protect(JsonSerializer.Serialize(draft));
        if (protectedDraft.Length <= MaxCookieLength)
        {
            http.Response.Cookies.Append(CookieName, protectedDraft, Options(http));
        }
    }

    private static CookieOptions Options(HttpContext http) => new()
    {
        Path = "/counter",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        MaxAge = Lifetime,
        IsEssential = true,
    };

    private static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Jpki.Server.Web.FormDrafts.v1");

    private sealed record Draft(string Path, DateTimeOffset At, Dictionary<string, string> Fields);
}
