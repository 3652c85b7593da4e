namespace Jpki.Authority.Ca;

/// <summary>
/// The public base URL the authority writes into every certificate (<c>{base}/crl/sign.crl</c>, <c>{base}/ocsp</c>):
/// an absolute http or https URL with a host, optionally a path, and nothing else. <c>--base-url 'not a url'</c> was
/// written into every certificate (issue 12); it is now refused at init and when an authority is opened.
/// </summary>
public static class PublicBaseUrl
{
    /// <summary>Null when <paramref name="value"/> is usable; otherwise a sentence saying what is wrong.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 512 || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "The public base URL must be an absolute http:// or https:// URL without spaces, e.g. https://ca.example.jp.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            return $"The public base URL '{value}' is not an absolute http:// or https:// URL with a host.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"The public base URL '{value}' must not carry user information, a query or a fragment: relying parties append /crl/… and /ocsp to it.";
        }

        return null;
    }

    /// <summary>Throws when <paramref name="value"/> is not usable.</summary>
    /// <exception cref="ArgumentException">See <see cref="Problem"/>.</exception>
    public static void Check(string? value, string paramName)
    {
        if (Problem(value) is { } problem)
        {
            throw new ArgumentException(problem, paramName);
        }
    }
}
