namespace Jpki.Cli.Commands.SignHelper;

/// <summary>Settings of <c>jpki sign-helper</c>.</summary>
/// <param name="Port">Loopback port (0 = any free one).</param>
/// <param name="AllowedOrigins">The city pages allowed to ask for a signature (<c>scheme://host[:port]</c>, compared exactly).</param>
internal sealed record SignHelperOptions(int Port, IReadOnlyList<string> AllowedOrigins)
{
    public const int DefaultPort = 61001;

    /// <summary>Largest document accepted.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    /// <summary>The origin as browsers send it, or null when <paramref name="text"/> is not an http(s) origin.</summary>
    public static string? NormalizeOrigin(string? text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}
