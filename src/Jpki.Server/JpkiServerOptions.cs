namespace Jpki.Server;

/// <summary>Settings of the OpenJpki server.</summary>
public sealed class JpkiServerOptions
{
    /// <summary>The data folder (SQLite registry, key files, virtual cards). Created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Addresses to listen on, ';'-separated. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Run the authority (<c>/ca</c>, <c>/crl</c>, <c>/ocsp</c>) from the data folder. Default true. When the folder holds
    /// no authority yet, one is initialised as a test environment: O=JPKI-TEST names, software keys with a generated
    /// passphrase file, open signature revocation data (docs/authority.md).
    /// </summary>
    public bool Authority { get; init; } = true;

    /// <summary>
    /// Server certificate (with private key) for the <c>https://</c> addresses in <see cref="Urls"/>. On HTTPS, a
    /// verifier may identify itself with a TLS client certificate instead of an API key (docs/authority.md).
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsCertificate { get; init; }

    /// <summary>
    /// The address people and relying parties reach this server at (behind a reverse proxy: its https address). The
    /// OpenID Connect provider's issuer is this + <c>oidc/</c>, and card logins are bound to its origin. Default: the
    /// first address of <see cref="Urls"/>; with port 0 and no public URL the provider is not started.
    /// </summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Where the OpenID Connect provider's login page looks for the citizen's <c>jpki sign-helper</c>. Default <c>http://127.0.0.1:61001</c>.</summary>
    public Uri? LoginHelperUrl { get; init; }

    /// <summary>Tests only: last-minute service registrations (e.g. a test authentication scheme for the staff pages).</summary>
    internal Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }
}
