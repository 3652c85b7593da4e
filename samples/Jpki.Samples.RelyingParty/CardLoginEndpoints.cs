using System.Security.Claims;
using System.Security.Cryptography;
using Jpki.Verification.Login;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Jpki.Samples.RelyingParty;

/// <summary>The origin-bound card login through the library: two endpoints the page's <c>jpki-login.js</c> calls.</summary>
internal static class CardLoginEndpoints
{
    private const string SessionCookie = "card_login_session";

    public static void Map(WebApplication app)
    {
        app.MapPost("/card/nonce", async (HttpContext http, LoginVerifier login) =>
            Results.Json(new { nonce = (await login.IssueChallengeAsync(Session(http))).Id }));

        app.MapPost("/card/login", async (HttpContext http, LoginVerifier login) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            if (!LoginToken.TryParse(body.ToArray(), out var token, out var error))
            {
                return Results.Json(new { code = "malformed", message = error }, statusCode: 400);
            }

            var result = await login.VerifyTokenAsync(token!, Session(http));
            if (!result.IsValid)
            {
                return Results.Json(new { code = result.Verdict.MachineCode, message = result.Verdict.Message }, statusCode: 403);
            }

            var identity = new ClaimsIdentity([new Claim("sub", result.AccountKey!), new Claim("amr", "card")], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            http.Response.Cookies.Delete(SessionCookie); // a new session id for the next login (no fixation)
            return Results.Json(new { ok = true, account = result.AccountKey });
        });
    }

    /// <summary>The browser session the nonce is bound to: a random id in an HttpOnly cookie.</summary>
    private static string Session(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(SessionCookie, out var id) && id is { Length: 43 })
        {
            return id;
        }

        id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        http.Response.Cookies.Append(SessionCookie, id, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps });
        return id;
    }
}
