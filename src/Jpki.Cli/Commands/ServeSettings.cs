namespace Jpki.Cli.Commands;

/// <summary>
/// The settings of <c>jpki serve</c>, bound from the <c>Serve</c> section of the standard configuration: the data
/// folder's <c>appsettings.json</c> (or <c>--config FILE</c>), then <c>JPKI_SERVE__*</c> environment variables, then the
/// command-line flags given (docs/operations.md, "Configuration"). Checked at start by <see cref="ServeSettingsValidator"/>.
/// </summary>
internal sealed class ServeSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Serve";

    /// <summary>Addresses to listen on, separated by <c>;</c> (<c>--urls</c>).</summary>
    public string Urls { get; set; } = Jpki.Server.JpkiServerOptions.DefaultUrls;

    /// <summary><c>all</c>, <c>authority</c> or <c>counter</c> (<c>--role</c>).</summary>
    public string Role { get; set; } = "all";

    /// <summary>The address people reach this server at (<c>--public-url</c>).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Where the login page looks for the sign helper (<c>--login-helper-url</c>).</summary>
    public string? LoginHelperUrl { get; set; }

    /// <summary>Host names answered (<c>--allowed-host</c>).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Reverse proxies believed (<c>--trusted-proxy</c>).</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The metrics listener (<c>--metrics</c>).</summary>
    public string? MetricsUrl { get; set; }

    /// <summary>The OpenTelemetry collector (<c>--otlp</c>).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The server certificate file, PEM (<c>--tls-cert</c>).</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>Its private key file, PEM (<c>--tls-key</c>).</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>With role counter: the authority server (<c>--authority</c>).</summary>
    public string? AuthorityUrl { get; set; }

    /// <summary>With role counter: the file holding the registration-authority key (<c>--ra-key-file</c>).</summary>
    public string? RegistrationAuthorityKeyFile { get; set; }

    /// <summary>The card-management master key file (<c>--card-master-key-file</c>).</summary>
    public string? CardMasterKeyFile { get; set; }

    /// <summary>Explicit sandbox mode (<c>--sandbox</c>).</summary>
    public bool Sandbox { get; set; }
}
