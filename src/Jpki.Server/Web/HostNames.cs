using System.Net;

namespace Jpki.Server.Web;

/// <summary>The Host names the server answers to (<see cref="JpkiServerOptions.AllowedHosts"/>).</summary>
internal static class HostNames
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The configured hosts and the public URL's; else, when every listening address is a loopback one, the loopback
    /// names and the public URL's host; else empty (no filtering).
    /// </summary>
    public static IReadOnlyList<string> Allowed(JpkiServerOptions options)
    {
        var extra = options.PublicUrl is { } publicUrl ? new[] { publicUrl.Host.Contains(':', StringComparison.Ordinal) ? "[" + publicUrl.Host.Trim('[', ']') + "]" : publicUrl.Host } : [];
        if (options.AllowedHosts.Count > 0)
        {
            return [.. options.AllowedHosts.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return urls.Length > 0 && urls.All(IsLoopback) ? [.. Loopback.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase)] : [];
    }

    private static bool IsLoopback(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        var host = rest.StartsWith('[') ? rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))] : rest.Split(':', '/')[0];
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
