using Microsoft.Extensions.Options;

namespace Jpki.Cli.Commands;

/// <summary>
/// Checks <see cref="ServeSettings"/> at start, wherever each value came from; every failure names the setting as the
/// configuration knows it (<c>Serve:Urls</c>, the environment's <c>JPKI_SERVE__URLS</c>) so that a bad value stops the
/// start with exit 2 and a line saying what to fix.
/// </summary>
internal sealed class ServeSettingsValidator : IValidateOptions<ServeSettings>
{
    public ValidateOptionsResult Validate(string? name, ServeSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var urls = (options.Urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            failures.Add(Problem(nameof(ServeSettings.Urls), options.Urls, "needs at least one http:// or https:// address to listen on"));
        }

        foreach (var url in urls.Where(u => !HttpUriOption.TryParse(u, out _)))
        {
            failures.Add(Problem(nameof(ServeSettings.Urls), url, "is not an absolute http:// or https:// address (e.g. http://127.0.0.1:8080)"));
        }

        if (options.Role is not ("all" or "authority" or "counter"))
        {
            failures.Add(Problem(nameof(ServeSettings.Role), options.Role, "must be all, authority or counter"));
        }

        CheckUrl(failures, nameof(ServeSettings.PublicUrl), options.PublicUrl);
        CheckUrl(failures, nameof(ServeSettings.LoginHelperUrl), options.LoginHelperUrl);
        CheckUrl(failures, nameof(ServeSettings.AuthorityUrl), options.AuthorityUrl);
        CheckUrl(failures, nameof(ServeSettings.OtlpEndpoint), options.OtlpEndpoint);
        if (CheckUrl(failures, nameof(ServeSettings.MetricsUrl), options.MetricsUrl) is { } metrics && !Jpki.Server.JpkiServerOptions.IsMetricsUrl(metrics, out var problem))
        {
            failures.Add(Problem(nameof(ServeSettings.MetricsUrl), options.MetricsUrl, problem ?? "is not usable"));
        }

        foreach (var proxy in options.TrustedProxies.Where(p => !Jpki.Server.JpkiServerOptions.IsProxyAddress(p)))
        {
            failures.Add(Problem(nameof(ServeSettings.TrustedProxies), proxy, "is not an IP address or a CIDR network (e.g. 10.0.0.5 or 10.0.0.0/24)"));
        }

        foreach (var host in options.AllowedHosts.Where(h => string.IsNullOrWhiteSpace(h) || h.Contains('/', StringComparison.Ordinal) || h.Contains(':', StringComparison.Ordinal)))
        {
            failures.Add(Problem(nameof(ServeSettings.AllowedHosts), host, "is not a host name (no scheme, port or path; *.example.jp allowed)"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The line for a bad value: the setting's configuration key and environment variable, the value, the rule.</summary>
    public static string Problem(string setting, string? value, string rule) =>
        $"setting {ServeSettings.Section}:{setting} (JPKI_{ServeSettings.Section.ToUpperInvariant()}__{setting.ToUpperInvariant()}) '{value}' {rule}.";

    private static Uri? CheckUrl(List<string> failures, string setting, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (HttpUriOption.TryParse(value, out var uri))
        {
            return uri;
        }

        failures.Add(Problem(setting, value, "is not an absolute http:// or https:// URL"));
        return null;
    }
}
