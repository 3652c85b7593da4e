using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Jpki.Authority.Ca;

/// <summary>
/// Decides whether a client is a registered registration authority (a municipal terminal allowed to issue and revoke
/// through the authority API): it presents one of <see cref="AuthorityOptions.RegistrationAuthorityKeys"/> (kept at rest as
/// SHA-256 hashes, compared in constant time) or a TLS client certificate whose SHA-256 thumbprint is in
/// <see cref="AuthorityOptions.RegistrationAuthorityCertificateThumbprints"/>. The list is separate from the verifiers'.
/// </summary>
public sealed class RegistrationAuthorityAccess
{
    /// <summary>The header carrying the registration authority's API key (alternatively <c>Authorization: Bearer &lt;key&gt;</c>).</summary>
    public const string HeaderName = "X-Jpki-RA-Key";

    private readonly ApiKeySet _keys;
    private readonly byte[][] _thumbprints;

    /// <summary>Creates the rule from <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A thumbprint is not 64 hex digits.</exception>
    public RegistrationAuthorityAccess(AuthorityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = new ApiKeySet(options.RegistrationAuthorityKeys, "registration-authority");
        _thumbprints = [.. options.RegistrationAuthorityCertificateThumbprints.Select(ParseThumbprint)];
    }

    /// <summary>
    /// The audit actor of a key: <c>ra:</c> and the first 16 hex digits of its SHA-256, so the log names the terminal
    /// without holding the key.
    /// </summary>
    public static string ActorOfKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "ra:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>The audit actor of a client certificate: <c>ra-cert:</c> and the first 16 hex digits of its SHA-256 thumbprint.</summary>
    public static string ActorOfCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return "ra-cert:" + Convert.ToHexString(SHA256.HashData(certificate.RawData))[..16];
    }

    /// <summary>True when <paramref name="presentedKey"/> is a registered registration-authority key.</summary>
    public bool IsRegistrationAuthority(string? presentedKey) => _keys.Matches(presentedKey);

    /// <summary>True when the TLS client certificate <paramref name="certificate"/> is a registered registration authority's.</summary>
    public bool IsRegistrationAuthority(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        var thumbprint = SHA256.HashData(certificate.RawData);
        var match = false;
        foreach (var registered in _thumbprints)
        {
            match |= CryptographicOperations.FixedTimeEquals(registered, thumbprint);
        }

        return match;
    }

    private static byte[] ParseThumbprint(string hex)
    {
        var clean = hex.Replace(":", "", StringComparison.Ordinal).Trim();
        try
        {
            var bytes = Convert.FromHexString(clean);
            return bytes.Length == 32 ? bytes : throw new ArgumentException("A registration-authority thumbprint is the SHA-256 of the certificate: 64 hex digits.", nameof(hex));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("A registration-authority thumbprint is the SHA-256 of the certificate: 64 hex digits.", nameof(hex), ex);
        }
    }
}
