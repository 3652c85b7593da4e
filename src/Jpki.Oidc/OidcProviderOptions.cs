namespace Jpki.Oidc;

/// <summary>Settings of the OpenID Connect provider (docs/login.md).</summary>
public sealed record OidcProviderOptions
{
    /// <summary>
    /// The issuer: the public address of the provider, ending in <c>/oidc/</c> (e.g. <c>https://login.city.example.jp/oidc/</c>).
    /// Discovery is at <c>{Issuer}.well-known/openid-configuration</c>. Its origin is the one the card login is bound to.
    /// </summary>
    public required Uri Issuer { get; init; }

    /// <summary>The folder of the client database (<c>oidc.db</c>), the token keys (<c>keys/</c>) and the pairwise-subject secret.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>How long an ID token and an access token are valid. Default 10 minutes.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an authorization code may be redeemed. Default 60 seconds.</summary>
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the provider's own login session lasts. Default 30 minutes.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Where the login page looks for the citizen's helper (<c>jpki sign-helper</c>). Default <c>http://127.0.0.1:61001</c>.</summary>
    public Uri HelperAddress { get; init; } = new("http://127.0.0.1:61001");

    /// <summary>The web origin card logins are signed for: the issuer's scheme, host and port.</summary>
    public string LoginOrigin => Verification.Login.LoginOrigin.Normalize(Issuer.GetLeftPart(UriPartial.Authority))
        ?? throw new InvalidOperationException($"The issuer {Issuer} has no http(s) origin.");

    /// <summary>The path under which the provider is mapped, from the issuer (<c>/oidc</c>).</summary>
    public string BasePath => Issuer.AbsolutePath.TrimEnd('/');

    /// <summary>The folder with the signing and encryption keys.</summary>
    public string KeyDirectory => Path.Combine(DataDirectory, "keys");

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">The issuer is not an absolute http(s) URI ending in '/', has a query, or the folder is empty.</exception>
    public void Validate()
    {
        if (!Issuer.IsAbsoluteUri || Issuer.Scheme is not ("http" or "https") || !Issuer.AbsolutePath.EndsWith('/') || Issuer.Query.Length > 0 || Issuer.Fragment.Length > 0)
        {
            throw new ArgumentException($"The OIDC issuer must be an absolute http(s) address ending in '/', without query: {Issuer}", nameof(Issuer));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(DataDirectory);
    }
}
