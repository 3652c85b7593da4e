using System.CommandLine;

namespace Jpki.Cli.Commands;

/// <summary>
/// An option whose value is an absolute http or https URL. System.CommandLine has no converter for <see cref="Uri"/>
/// (reading one threw, issue 12): this parses it, and anything else — a relative path, another scheme, text — is a
/// parse error naming the option (exit 2).
/// </summary>
internal static class HttpUriOption
{
    /// <summary>Creates the option.</summary>
    public static Option<Uri> Create(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (TryParse(text, out var uri))
            {
                return uri;
            }

            result.AddError($"{name} must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:8080/ocsp (got '{text}').");
            return null;
        },
    };

    /// <summary>True for an absolute http or https URL with a host and without user information.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host) || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        uri = parsed;
        return true;
    }
}
