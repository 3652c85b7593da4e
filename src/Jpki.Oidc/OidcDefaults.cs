namespace Jpki.Oidc;

/// <summary>Names the provider uses.</summary>
public static class OidcDefaults
{
    /// <summary>The cookie scheme of the provider's own login session (the card login), path-scoped to the issuer.</summary>
    public const string CookieScheme = "JpkiOidc";

    /// <summary>The cookie that names the browser session a login nonce is bound to.</summary>
    public const string SessionCookie = "jpki_oidc_sid";

    /// <summary>The claim with the citizen's account key in the provider's session (never sent to clients).</summary>
    public const string AccountKeyClaim = "jpki:account";

    /// <summary>The stable path of the JavaScript client, served by <c>jpki serve</c>.</summary>
    public const string ScriptPath = "/js/jpki-login.js";

    /// <summary>The client setting that selects the ID token algorithm (RS256 by default, or ES256).</summary>
    public const string IdTokenAlgorithmSetting = "jpki:id_token_signed_response_alg";
}
