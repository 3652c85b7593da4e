using System.Buffers.Text;
using System.Security.Cryptography;
using Jpki.Core.Identity;
using Jpki.Verification;
using Jpki.Verification.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jpki.Oidc;

/// <summary>
/// The provider's side of the origin-bound card login: the session-id cookie the nonces are bound to, and the
/// <see cref="LoginVerifier"/> configured for the issuer's origin.
/// </summary>
internal sealed class CardLogin
{
    public CardLogin(OidcProviderOptions options, JpkiVerifier verifier, IChallengeStore store, TimeProvider clock, ICertificateLinkage? linkage, ILogger<LoginVerifier> logger, ILogger? events = null)
    {
        Options = options;
        Events = events ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Verifier = new LoginVerifier(verifier, store, clock, linkage, new LoginOptions { Origins = [options.LoginOrigin] }, logger);
    }

    public OidcProviderOptions Options { get; }

    public LoginVerifier Verifier { get; }

    /// <summary>Where the provider's own events go (6301–6304, <see cref="Log"/>).</summary>
    public ILogger Events { get; }

    /// <summary>The browser session id from the cookie, created (and set on the response) when missing.</summary>
    public string SessionOf(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(OidcDefaults.SessionCookie, out var session) && session is { Length: 43 })
        {
            return session;
        }

        return NewSession(http);
    }

    /// <summary>
    /// Sets a fresh session id: done after each successful login, so an id planted before the login (session fixation)
    /// names nothing afterwards.
    /// </summary>
    public string NewSession(HttpContext http)
    {
        var session = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        http.Response.Cookies.Append(OidcDefaults.SessionCookie, session, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = Options.BasePath,
            IsEssential = true,
        });
        return session;
    }

    /// <summary>True when the request comes from a page of the provider's own origin (fetch sends Origin on POST).</summary>
    public bool SameOrigin(HttpRequest request) => LoginOrigin.Normalize(request.Headers.Origin.ToString()) == Options.LoginOrigin;

    public static CertificateKind KindOf(string what) => what == "sign" ? CertificateKind.Signature : CertificateKind.Authentication;
}
