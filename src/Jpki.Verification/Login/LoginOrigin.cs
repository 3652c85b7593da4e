using System.Security.Cryptography;
using System.Text;
using Jpki.Verification.Cms;

namespace Jpki.Verification.Login;

/// <summary>
/// The bytes of an origin-bound login (docs/login.md, "Protocol bytes"). The card's authentication key signs, with
/// <c>80 2A 00 80</c>, the DER DigestInfo of SHA-256(<c>SHA-256(origin) ‖ SHA-256(nonce)</c>), where origin is the
/// ASCII serialisation of the web origin (<c>https://login.example.jp</c>, as a browser sends it in the
/// <c>Origin</c> header) and nonce is the challenge as the base64url text the server handed out. This is the
/// Web eID scheme (<c>web-eid:1.0</c>) with RS256: a site that relays another site's nonce gets a signature over its
/// own origin, which the other site refuses.
/// </summary>
public static class LoginOrigin
{
    /// <summary>Longest origin accepted (scheme, host and port; browsers never send more than a host name's 253 characters and a port).</summary>
    public const int MaxLength = 300;

    /// <summary>
    /// The origin as a browser serialises it (lower-case scheme and host, no default port, no path), or null when
    /// <paramref name="text"/> is not an http(s) origin: no path other than <c>/</c>, no query, fragment or user info.
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (text is null || text.Length > MaxLength || !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    /// <summary>The 64 bytes that are hashed and signed: SHA-256(UTF-8 origin) ‖ SHA-256(ASCII nonce).</summary>
    /// <exception cref="ArgumentException">The origin or nonce is empty.</exception>
    public static byte[] SignedData(string origin, string nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        var data = new byte[2 * SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(origin), data.AsSpan(0, SHA256.HashSizeInBytes));
        SHA256.HashData(Encoding.ASCII.GetBytes(nonce), data.AsSpan(SHA256.HashSizeInBytes));
        return data;
    }

    /// <summary>What the card is given to sign (<c>80 2A 00 80</c>): the DER DigestInfo of SHA-256(<see cref="SignedData"/>), 51 bytes.</summary>
    public static byte[] DigestInfoToSign(string origin, string nonce) => DigestInfo.Sha256Of(SignedData(origin, nonce));
}
