using System.Text;

namespace Jpki.Server.Web;

/// <summary>
/// The page to go back to after login (<c>returnUrl</c>): only a path of this site. Browsers drop tabs and line breaks
/// from URLs and read a backslash as a slash, so <c>/\t/evil.example</c> or <c>/\evil.example</c> would leave the site
/// (issue 12); such a value is refused, not repaired. Characters outside ASCII are percent-encoded, so a Location header
/// never throws (a 500 before).
/// </summary>
internal static class LocalReturnUrl
{
    private const int MaxLength = 2048;

    /// <summary>The value as a safe, ASCII-only local path (with its query), or null when it is none.</summary>
    public static string? Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value[0] != '/' || (value.Length > 1 && value[1] is '/' or '\\'))
        {
            return null;
        }

        var result = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune == Rune.ReplacementChar && !value.Contains('\uFFFD', StringComparison.Ordinal))
            {
                return null; // a lone surrogate
            }

            if (rune.Value is < 0x21 or 0x7F or '\\' || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                return null;
            }

            if (rune.IsAscii)
            {
                result.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                result.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }
}
