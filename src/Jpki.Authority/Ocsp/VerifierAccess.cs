using System.Security.Cryptography;
using System.Text;
using Jpki.Authority.Ca;

namespace Jpki.Authority.Ocsp;

/// <summary>
/// Decides whether a client is a registered verifier (JPKI-REFERENCE §8.2): it presents one of
/// <see cref="AuthorityOptions.VerifierKeys"/> (compared in constant time). Signature-certificate revocation data is
/// given only to them unless <see cref="AuthorityOptions.OpenSignatureRevocationData"/>; auth-CA data is open.
/// </summary>
public sealed class VerifierAccess(AuthorityOptions options)
{
    /// <summary>The header carrying the verifier's API key (alternatively <c>Authorization: Bearer &lt;key&gt;</c>).</summary>
    public const string HeaderName = "X-Jpki-Verifier-Key";

    private readonly byte[][] _keys = [.. options.VerifierKeys.Where(k => !string.IsNullOrEmpty(k)).Select(Encoding.UTF8.GetBytes)];

    /// <summary>True when signature-certificate revocation data is open to anyone.</summary>
    public bool Open => options.OpenSignatureRevocationData;

    /// <summary>True when <paramref name="presentedKey"/> is a registered verifier key.</summary>
    public bool IsVerifier(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(presentedKey);
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(key, presented);
        }

        return match;
    }
}
