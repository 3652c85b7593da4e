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
/// own origin, which the other site refuses. With the next-generation card's P-384 key the token is ES384, and as in
/// Web eID the hash is the algorithm's: the card signs (ECDSA, answering r‖s) SHA-384(<c>SHA-384(origin) ‖ SHA-384(nonce)</c>).
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

    /// <summary>
    /// The signed value for <paramref name="algorithm"/>: <c>hash(origin) ‖ hash(nonce)</c> with the algorithm's hash —
    /// 64 bytes with SHA-256 for <see cref="LoginToken.AlgorithmRs256"/> (as <see cref="SignedData(string, string)"/>),
    /// 96 bytes with SHA-384 for <see cref="LoginToken.AlgorithmEs384"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The origin or nonce is empty, or the algorithm is neither RS256 nor ES384.</exception>
    public static byte[] SignedData(string origin, string nonce, string algorithm)
    {
        if (algorithm == LoginToken.AlgorithmRs256)
        {
            return SignedData(origin, nonce);
        }

        if (algorithm != LoginToken.AlgorithmEs384)
        {
            throw new ArgumentException($"A login token is {LoginToken.AlgorithmRs256} or {LoginToken.AlgorithmEs384}.", nameof(algorithm));
        }

        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        var data = new byte[2 * SHA384.HashSizeInBytes];
        SHA384.HashData(Encoding.UTF8.GetBytes(origin), data.AsSpan(0, SHA384.HashSizeInBytes));
        SHA384.HashData(Encoding.ASCII.GetBytes(nonce), data.AsSpan(SHA384.HashSizeInBytes));
        return data;
    }

    /// <summary>What the card is given to sign (<c>80 2A 00 80</c>): the DER DigestInfo of SHA-256(<see cref="SignedData(string, string)"/>), 51 bytes.</summary>
    public static byte[] DigestInfoToSign(string origin, string nonce) => DigestInfo.Sha256Of(SignedData(origin, nonce));

    /// <summary>
    /// What the next-generation card is given to sign with its P-384 key (<c>80 2A 00 80</c>, answered as r‖s): the 48
    /// bytes SHA-384(<see cref="SignedData(string, string, string)"/> with ES384).
    /// </summary>
    public static byte[] HashToSignEs384(string origin, string nonce) => SHA384.HashData(SignedData(origin, nonce, LoginToken.AlgorithmEs384));

    /// <summary>
    /// The token algorithm a certificate's key calls for: <see cref="LoginToken.AlgorithmRs256"/> for RSA,
    /// <see cref="LoginToken.AlgorithmEs384"/> for ECDSA P-384, null for anything else.
    /// </summary>
    public static string? AlgorithmFor(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Certificates.PublicKeys.Of(certificate) switch
        {
            RSA => LoginToken.AlgorithmRs256,
            ECDsa ecdsa when Jpki.Core.Signatures.P384Signature.IsP384(ecdsa) => LoginToken.AlgorithmEs384,
            _ => null,
        };
    }
}
