using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Jpki.Core.Identity;
using Jpki.Verification.Login;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jpki.Oidc;

/// <summary>Maps the provider's endpoints under the issuer's path (docs/login.md, "Endpoints").</summary>
public static class OidcEndpoints
{
    private const int MaxTokenBytes = LoginToken.MaxJsonBytes;

    /// <summary>
    /// Maps <c>/oidc/authorize</c>, <c>/oidc/userinfo</c>, <c>/oidc/logout</c> (OpenIddict handles discovery, JWKS and
    /// the token endpoint itself), the card-login and consent steps and the JavaScript client at
    /// <see cref="OidcDefaults.ScriptPath"/>. Needs <c>UseAuthentication()</c> before the endpoints.
    /// </summary>
    public static IEndpointRouteBuilder MapJpkiOidc(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<OidcProviderOptions>();
        OidcDatabase.EnsureCreated(endpoints.ServiceProvider);
        var root = options.BasePath;
        endpoints.MapMethods(root + "/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync);
        endpoints.MapMethods(root + "/userinfo", ["GET", "POST"], (Delegate)UserInfoAsync);
        endpoints.MapMethods(root + "/logout", ["GET", "POST"], (Delegate)LogoutAsync);
        endpoints.MapPost(root + "/login/nonce", (HttpContext http, CardLogin login, CancellationToken ct) => IssueNonceAsync(http, login, requireLogin: false, ct));
        endpoints.MapPost(root + "/login/card", (Delegate)LoginWithCardAsync);
        endpoints.MapPost(root + "/consent/nonce", (HttpContext http, CardLogin login, CancellationToken ct) => IssueNonceAsync(http, login, requireLogin: true, ct));
        endpoints.MapPost(root + "/consent/card", (Delegate)ConsentWithCardAsync);
        endpoints.MapGet(root + "/page.js", () => Script("page.js"));
        endpoints.MapGet(root + "/page.css", () => Results.Text(OidcPages.Style, "text/css; charset=utf-8"));
        endpoints.MapGet(OidcDefaults.ScriptPath, () => Script("jpki-login.js"));
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, CardLogin login, PairwiseSubjects subjects, ConsentGrants grants, IOpenIddictApplicationManager applications)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var application = await applications.FindByClientIdAsync(request.ClientId!, http.RequestAborted).ConfigureAwait(false)
            ?? throw new InvalidOperationException("OpenIddict validated an unknown client.");
        var clientName = await applications.GetDisplayNameAsync(application, http.RequestAborted).ConfigureAwait(false) ?? request.ClientId!;

        var session = await http.AuthenticateAsync(OidcDefaults.CookieScheme).ConfigureAwait(false);
        var account = session.Succeeded ? session.Principal.FindFirst(OidcDefaults.AccountKeyClaim)?.Value : null;
        if (account is not null && request.HasPromptValue(PromptValues.Login))
        {
            // prompt=login (OpenID Connect Core §3.1.2.1): a fresh card login even with a session. The session ends
            // here, and the login page's continue form leaves "login" out of prompt, so the request goes on only after
            // a new card login — not by posting the form again.
            await http.SignOutAsync(OidcDefaults.CookieScheme).ConfigureAwait(false);
            account = null;
        }

        if (account is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(login, request.ClientId!, Errors.LoginRequired, "The citizen is not logged in with the card.");
            }

            login.SessionOf(http);
            return OidcPages.Login(login.Options, request, clientName);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subjects.Subject(request.ClientId!, account));
        identity.SetClaim(Claims.AuthenticationTime, session.Principal!.FindFirst(Claims.AuthenticationTime)?.Value is { } time ? long.Parse(time, CultureInfo.InvariantCulture) : null);
        identity.SetClaims("amr", ["hwk", "pin"]);
        identity.SetScopes(request.GetScopes());
        var answer = await ConsentAnswerAsync(http, login).ConfigureAwait(false);
        if (answer == ConsentRefused)
        {
            return Forbid(login, request.ClientId!, Errors.AccessDenied, "The citizen did not consent.");
        }

        if (request.HasScope(JpkiScopes.Basic4))
        {
            // Consent to the basic 4 info is asked at every authorization (the grant is taken once), so prompt=consent
            // always sees the page; prompt=none cannot show it.
            if (grants.Take(login.SessionOf(http), request.ClientId!, account) is not { } info)
            {
                return request.HasPromptValue(PromptValues.None)
                    ? Forbid(login, request.ClientId!, Errors.ConsentRequired, "The basic 4 info needs the citizen's consent with the signature certificate.")
                    : OidcPages.Consent(login.Options, request, clientName);
            }

            Basic4Claims.Apply(identity, info);
        }
        else if (request.HasPromptValue(PromptValues.Consent) && answer != ConsentGranted)
        {
            // openid alone gives the client only its pairwise subject, so no consent page unless the client asks for one.
            return OidcPages.ConsentToSubject(login.Options, request, clientName);
        }

        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject or Claims.AuthenticationTime or "amr" => [Destinations.IdentityToken, Destinations.AccessToken],
            Claims.Name or Claims.Address or Claims.Birthdate or Claims.Gender => [Destinations.IdentityToken, Destinations.AccessToken],
            _ => [Destinations.AccessToken],
        });
        Log.AuthorizationGiven(login.Events, request.ClientId!, string.Join(' ', request.GetScopes()));
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private const string ConsentRefused = "refused";
    private const string ConsentGranted = "granted";

    /// <summary>
    /// The citizen's answer on a consent page: "refused" from the form or the query; "granted" only from a form posted by
    /// a page of the provider itself (Origin), so a client cannot skip the consent it asked for by adding the field to
    /// its authorization URL.
    /// </summary>
    private static async Task<string?> ConsentAnswerAsync(HttpContext http, CardLogin login)
    {
        if (http.Request.HasFormContentType)
        {
            var answer = (await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false))["jpki_consent"].ToString();
            if (answer == ConsentRefused || (answer == ConsentGranted && login.SameOrigin(http.Request)))
            {
                return answer;
            }
        }

        return http.Request.Query["jpki_consent"] == ConsentRefused ? ConsentRefused : null;
    }

    private static async Task<IResult> IssueNonceAsync(HttpContext http, CardLogin login, bool requireLogin, CancellationToken cancellationToken)
    {
        if (!login.SameOrigin(http.Request))
        {
            return Refuse(login, "nonce", StatusCodes.Status403Forbidden, "cross-origin", "このリクエストはログインページからのものではありません。");
        }

        if (requireLogin && !(await http.AuthenticateAsync(OidcDefaults.CookieScheme).ConfigureAwait(false)).Succeeded)
        {
            return Refuse(login, "nonce", StatusCodes.Status401Unauthorized, "not-logged-in", "先にマイナンバーカードでログインしてください。");
        }

        var nonce = await login.Verifier.IssueChallengeAsync(login.SessionOf(http), cancellationToken).ConfigureAwait(false);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(new NonceAnswer(nonce.Id, nonce.ExpiresAt), OidcJson.Default.NonceAnswer);
    }

    private static async Task<IResult> LoginWithCardAsync(HttpContext http, CardLogin login, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (result, error) = await VerifyPostedTokenAsync(http, login, CertificateKind.Authentication, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var identity = new ClaimsIdentity(OidcDefaults.CookieScheme);
        identity.AddClaim(new Claim(OidcDefaults.AccountKeyClaim, result!.AccountKey!));
        identity.AddClaim(new Claim(Claims.AuthenticationTime, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        await http.SignInAsync(OidcDefaults.CookieScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        login.NewSession(http);
        Log.CardStepAccepted(login.Events, "login");
        return Results.Json(new CardAnswer(true, "valid", "ログインしました。"), OidcJson.Default.CardAnswer);
    }

    private static async Task<IResult> ConsentWithCardAsync(HttpContext http, CardLogin login, ConsentGrants grants, string? client_id, CancellationToken cancellationToken)
    {
        var session = await http.AuthenticateAsync(OidcDefaults.CookieScheme).ConfigureAwait(false);
        if (!session.Succeeded || session.Principal.FindFirst(OidcDefaults.AccountKeyClaim)?.Value is not { } account || string.IsNullOrEmpty(client_id))
        {
            return Refuse(login, "consent", StatusCodes.Status401Unauthorized, "not-logged-in", "先にマイナンバーカードでログインしてください。");
        }

        var (result, error) = await VerifyPostedTokenAsync(http, login, CertificateKind.Signature, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (result!.AccountKey != account || result.BasicFourInfo is null)
        {
            return Refuse(login, "consent", StatusCodes.Status403Forbidden, "other-card", "署名用電子証明書が、ログインに使ったカードのものではありません。");
        }

        grants.Put(login.SessionOf(http), client_id, account, result.BasicFourInfo);
        Log.CardStepAccepted(login.Events, "consent");
        return Results.Json(new CardAnswer(true, "valid", "確認できました。"), OidcJson.Default.CardAnswer);
    }

    private static async Task<(LoginResult? Result, IResult? Error)> VerifyPostedTokenAsync(HttpContext http, CardLogin login, CertificateKind kind, CancellationToken cancellationToken)
    {
        if (!login.SameOrigin(http.Request))
        {
            return (null, Refuse(login, StepOf(kind), StatusCodes.Status403Forbidden, "cross-origin", "このリクエストはログインページからのものではありません。"));
        }

        if (!http.Request.Cookies.TryGetValue(OidcDefaults.SessionCookie, out var session) || string.IsNullOrEmpty(session))
        {
            return (null, Refuse(login, StepOf(kind), StatusCodes.Status400BadRequest, "no-session", "ブラウザのセッションがありません。ログインをやり直してください。"));
        }

        var body = await ReadLimitedAsync(http.Request, MaxTokenBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, Refuse(login, StepOf(kind), StatusCodes.Status400BadRequest, "malformed", "ログイン用トークンが大きすぎます。"));
        }

        if (!LoginToken.TryParse(body, out var token, out var why))
        {
            return (null, Refuse(login, StepOf(kind), StatusCodes.Status400BadRequest, "malformed", "ログイン用トークンを読み取れません。 " + why));
        }

        var result = await login.Verifier.VerifyTokenAsync(token!, session, kind, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, Refuse(login, StepOf(kind), StatusCodes.Status403Forbidden, result.Verdict.MachineCode, VerdictText.Japanese(result.Verdict)));
        }

        if (result.AccountKey is null)
        {
            return (null, Refuse(login, StepOf(kind), StatusCodes.Status403Forbidden, "no-linkage", "署名用電子証明書と利用者証明用電子証明書の紐付けを確認できません。"));
        }

        return (result, null);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (!result.Succeeded || result.Principal is null)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token is missing, expired or revoked.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var principal = result.Principal;
        var claims = new Dictionary<string, object?>(StringComparer.Ordinal) { [Claims.Subject] = principal.GetClaim(Claims.Subject) };
        if (principal.HasScope(JpkiScopes.Basic4))
        {
            claims[Claims.Name] = principal.GetClaim(Claims.Name);
            claims[Claims.Address] = principal.GetClaim(Claims.Address) is { } address ? JsonSerializer.Deserialize<JsonElement>(address) : null;
            claims[Claims.Birthdate] = principal.GetClaim(Claims.Birthdate);
            claims[Claims.Gender] = principal.GetClaim(Claims.Gender);
        }

        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(claims);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, CardLogin login)
    {
        await http.SignOutAsync(OidcDefaults.CookieScheme).ConfigureAwait(false);
        login.NewSession(http);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Forbid(CardLogin login, string clientId, string error, string description)
    {
        Log.AuthorizationRefused(login.Events, clientId, error);
        return Forbid(error, description);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static IResult Refuse(CardLogin login, string step, int status, string code, string message)
    {
        Log.CardStepRefused(login.Events, step, code);
        return Results.Json(new CardAnswer(false, code, message), OidcJson.Default.CardAnswer, statusCode: status);
    }

    private static string StepOf(CertificateKind kind) => kind == CertificateKind.Signature ? "consent" : "login";

    private static IResult Script(string name)
    {
        using var stream = typeof(OidcEndpoints).Assembly.GetManifestResourceStream("Jpki.Oidc." + name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), "text/javascript; charset=utf-8");
    }

    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length && length > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
