namespace Jpki.Server;

/// <summary>Settings of the OpenJpki server.</summary>
public sealed class JpkiServerOptions
{
    /// <summary>The data folder (SQLite registry, key files, virtual cards). Created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The address <c>jpki serve</c> listens on by default, and so the public base URL of the test authority it initialises.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Addresses to listen on, ';'-separated. Default <see cref="DefaultUrls"/>.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>
    /// Run the authority (<c>/ca</c>, <c>/crl</c>, <c>/ocsp</c>) from the data folder. Default true. When the folder holds
    /// no authority yet, one is initialised as a test environment: O=JPKI-TEST names, software keys with a generated
    /// passphrase file, open signature revocation data (docs/authority.md).
    /// </summary>
    public bool Authority { get; init; } = true;

    /// <summary>Which parts this process runs: both (default), the authority only, or the counter only against <see cref="AuthorityUrl"/>.</summary>
    public ServerRole Role { get; init; } = ServerRole.All;

    /// <summary>
    /// <see cref="ServerRole.Counter"/>: the authority server the counter issues and revokes through (its
    /// <c>/api/authority</c>, docs/authority.md), e.g. <c>https://ca.example.jp/</c>. Required for that role, refused for the others.
    /// </summary>
    public Uri? AuthorityUrl { get; init; }

    /// <summary>
    /// File with the card-management master key (64+ hex characters or 32+ raw bytes) from which the counter derives each
    /// card's issuer-channel key. Required for <see cref="ServerRole.Counter"/>. Null with <see cref="ServerRole.All"/>:
    /// <see cref="Sandbox"/> mode.
    /// </summary>
    public string? CardMasterKeyFile { get; init; }

    /// <summary>
    /// Sandbox mode: the counter runs (<see cref="ServerRole.All"/>) without <see cref="CardMasterKeyFile"/> and so uses
    /// the PUBLIC development card-management key — cards it issues are for testing only. Announced by a warning in the
    /// log at start (event 5201) and a banner on every staff page. A configured deployment (a key file, or the counter
    /// role, which refuses to start without one) never falls back to it.
    /// </summary>
    public bool Sandbox => CardMasterKeyFile is null && Role == ServerRole.All && Authority;

    /// <summary><see cref="ServerRole.Counter"/>: the registration-authority key the authority accepts (<c>X-Jpki-RA-Key</c>). Never logged.</summary>
    public string? RegistrationAuthorityKey { get; init; }

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

    /// <summary>
    /// Host names this server answers to (the <c>Host</c> header, e.g. <c>ca.example.jp</c>; <c>*.example.jp</c> allowed),
    /// besides the host of <see cref="PublicUrl"/>; any other gets 400 (no DNS rebinding onto the staff pages). Default:
    /// when every address of <see cref="Urls"/> is a loopback one, the loopback names (<c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>[::1]</c>); otherwise none — any host is answered, as the server cannot know the names it is reached by.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// The reverse proxies (addresses such as <c>10.0.0.5</c>, or networks such as <c>10.0.0.0/24</c>) whose
    /// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> this server believes: behind a TLS proxy the request counts as
    /// https (staff and OpenID Connect cookies are then <c>Secure</c>) and the client is the address the proxy names (the
    /// per-terminal staff lockout and the login limit count it, not the proxy). One hop only. Default none: the headers of
    /// anybody else are ignored, so a client cannot pose as another terminal or as https.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>Whether <paramref name="value"/> can be an entry of <see cref="TrustedProxies"/>.</summary>
    public static bool IsProxyAddress(string value) => Web.ForwardedFromProxies.TryParse(value, out _, out _);

    /// <summary>
    /// The most client connections served at once (Kestrel's MaxConcurrentConnections); one more is closed at once and
    /// logged, and the server stays up — instead of running out of file descriptors (≈ 20,000 idle connections aborted the
    /// process, issue 12). Default 4,096.
    /// </summary>
    public long MaxConnections { get; init; } = 4096;

    /// <summary>How long an idle connection is kept open (Kestrel's KeepAliveTimeout, also before the first request). Default 30 s.</summary>
    public TimeSpan IdleConnectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many staff password checks (login, password change) run at once; more wait in a short queue, then get 429. Default: half the cores, at least 1.</summary>
    public int? StaffLoginConcurrency { get; init; }

    /// <summary>
    /// Where to serve the metrics in Prometheus text format (<c>GET /metrics</c>), e.g. <c>http://127.0.0.1:9464/</c>: a
    /// listener of its own, never one of the public addresses of <see cref="Urls"/>, so a reverse proxy in front of the
    /// server cannot expose it. Default none: no metrics listener (docs/operations.md).
    /// </summary>
    public Uri? MetricsUrl { get; init; }

    /// <summary>Whether <paramref name="url"/> can be <see cref="MetricsUrl"/>; else <paramref name="problem"/> says why.</summary>
    public static bool IsMetricsUrl(Uri url, out string? problem) => ServerTelemetry.IsMetricsUrl(url, out problem);

    /// <summary>
    /// An OpenTelemetry collector (OTLP over HTTP, e.g. <c>http://127.0.0.1:4318</c>) that receives the metrics and the
    /// traces. Default none; the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable turns it on as well.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Tests only: last-minute service registrations (e.g. a test authentication scheme for the staff pages).</summary>
    internal Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }
}
