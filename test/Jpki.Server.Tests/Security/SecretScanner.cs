using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// Searches text and bytes for the secrets of a test run in the encodings a log line, a JSON or HTML body or a file would
/// give them: as is, JSON-, URL- and HTML-escaped, base64 and base64url, hex (any case), UTF-16LE; private keys by their
/// private parts (d, p, q, dp, dq, qInv as hex and raw bytes) and by base64 of their PKCS#1 and PKCS#8 DER. Reports only
/// the secret's name, never its value.
/// </summary>
internal sealed class SecretScanner
{
    private readonly List<Secret> _secrets = [];

    /// <summary>What a secret is: PINs and passwords must not be even in a card file; My Numbers and keys may be on the card.</summary>
    public enum Kind
    {
        Pin,
        MyNumber,
        Key,
    }

    public IReadOnlyList<string> Names => [.. _secrets.Select(s => s.Name)];

    public void Add(string name, string value, Kind kind = Kind.Pin)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var forms = new List<string> { value, JsonSerializer.Serialize(value)[1..^1], Uri.EscapeDataString(value), WebUtility.HtmlEncode(value) };
        forms.AddRange(Base64Forms(utf8));
        var hex = new List<string> { Convert.ToHexString(utf8), Convert.ToHexString(Encoding.Unicode.GetBytes(value)) };
        // A 4-digit PIN could sit inside a serial number, a base64 blob (System.Text.Json writes '+' as \u002B) or a fraction of a
        // second by chance: as is, it must stand alone.
        var alone = value.Length <= 8 ? new Regex($@"(?<![0-9A-Za-z.+/_-]){Regex.Escape(value)}(?![-0-9A-Za-z.+/=_\\])", RegexOptions.CultureInvariant) : null;
        _secrets.Add(new Secret(name, kind, [.. forms.Distinct(StringComparer.Ordinal).Where(f => alone is null || f != value)], hex, alone, []));
    }

    public void AddRsaKey(string name, RSA key)
    {
        var p = key.ExportParameters(true);
        var parts = new[] { p.D!, p.P!, p.Q!, p.DP!, p.DQ!, p.InverseQ! };
        var forms = new List<string>();
        foreach (var der in new[] { key.ExportRSAPrivateKey(), key.ExportPkcs8PrivateKey() })
        {
            // 64 base64 characters from inside the private exponent: a fixed offset would land in the modulus, which is
            // public and stands in every certificate and SubjectPublicKeyInfo (a false "leak" wherever an SPKI is stored).
            var base64 = Convert.ToBase64String(der);
            var inside = ((der.AsSpan().IndexOf(p.D) + 2) / 3 + 1) * 4;
            forms.Add(base64.Substring(inside, 64));
            forms.Add(base64.Substring(inside, 64).Replace('+', '-').Replace('/', '_'));
        }

        foreach (var part in parts)
        {
            forms.AddRange(Base64Forms(part[..24]));
        }

        _secrets.Add(new Secret(name, Kind.Key, forms, [.. parts.Select(b => Convert.ToHexString(b.AsSpan(0, 24)))], null, [.. parts.Select(b => b[..24])]));
    }

    /// <summary>The names of the secrets found in <paramref name="text"/>.</summary>
    public IEnumerable<string> FindIn(string text, Func<Kind, bool>? which = null)
    {
        foreach (var secret in _secrets.Where(s => which?.Invoke(s.Kind) ?? true))
        {
            if (secret.Alone?.IsMatch(text) == true
                || secret.Forms.Any(f => text.Contains(f, StringComparison.Ordinal))
                || secret.Hex.Any(h => text.Contains(h, StringComparison.OrdinalIgnoreCase)))
            {
                yield return secret.Name;
            }
        }
    }

    /// <summary>The names of the secrets found in <paramref name="bytes"/>: as bytes, as Latin-1/UTF-8 text, as UTF-16LE text.</summary>
    public IEnumerable<string> FindIn(byte[] bytes, Func<Kind, bool>? which = null)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        found.UnionWith(FindIn(Encoding.Latin1.GetString(bytes), which));
        found.UnionWith(FindIn(Encoding.Unicode.GetString(bytes), which));
        if (bytes.Length > 1)
        {
            found.UnionWith(FindIn(Encoding.Unicode.GetString(bytes, 1, bytes.Length - 1), which));
        }

        foreach (var secret in _secrets.Where(s => which?.Invoke(s.Kind) ?? true))
        {
            if (secret.Raw.Any(r => bytes.AsSpan().IndexOf(r) >= 0))
            {
                found.Add(secret.Name);
            }
        }

        return found;
    }

    private static IEnumerable<string> Base64Forms(byte[] bytes)
    {
        // Without padding, and without the last character when it also depends on what follows.
        var base64 = Convert.ToBase64String(bytes).TrimEnd('=');
        if (bytes.Length % 3 != 0)
        {
            base64 = base64[..^1];
        }

        yield return base64;
        yield return base64.Replace('+', '-').Replace('/', '_');
    }

    private sealed record Secret(string Name, Kind Kind, IReadOnlyList<string> Forms, IReadOnlyList<string> Hex, Regex? Alone, IReadOnlyList<byte[]> Raw);
}
