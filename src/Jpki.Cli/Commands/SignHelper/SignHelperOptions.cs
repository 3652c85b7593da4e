using System.Security.Cryptography.X509Certificates;

namespace Jpki.Cli.Commands.SignHelper;

/// <summary>Settings of <c>jpki sign-helper</c>.</summary>
/// <param name="Port">Loopback port (0 = any free one).</param>
/// <param name="AllowedOrigins">The city pages allowed to ask for a signature (<c>scheme://host[:port]</c>, compared exactly).</param>
internal sealed record SignHelperOptions(int Port, IReadOnlyList<string> AllowedOrigins)
{
    public const int DefaultPort = 61001;

    /// <summary>Largest document accepted (a PDF form with its pages; the answer is the document plus its signature).</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    /// <summary>The RFC 3161 time-stamping authority for B-T, B-LT and B-LTA (<c>--tsa</c>, as <c>jpki sign</c>); without it only B-B is offered.</summary>
    public Uri? Tsa { get; init; }

    /// <summary>For B-LT: an OCSP responder to ask instead of the one the certificates name (<c>--ocsp</c>).</summary>
    public Uri? Ocsp { get; init; }

    /// <summary>Issuer certificates that complete chains for B-LT, e.g. the TSA root (<c>--chain</c>).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; init; } = [];

    /// <summary>Where Jpki.Signing's events go (<c>--log-level</c>, stderr); null: nowhere.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

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
