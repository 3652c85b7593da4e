namespace Jpki.Oidc;

/// <summary>The scopes and claims of the provider.</summary>
public static class JpkiScopes
{
    /// <summary>
    /// <c>jpki:basic4</c>: the basic 4 info (基本4情報) from the signature certificate, as the claims <c>name</c>,
    /// <c>address</c>, <c>birthdate</c> and <c>gender</c>. Needs the client to be allowed it, the citizen's consent and
    /// the signature password.
    /// </summary>
    public const string Basic4 = "jpki:basic4";

    /// <summary>The OpenIddict permission that lets a client ask for <see cref="Basic4"/>.</summary>
    public const string Basic4Permission = "scp:" + Basic4;
}
