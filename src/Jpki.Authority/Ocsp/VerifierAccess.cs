using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Authority.Ca;

namespace Jpki.Authority.Ocsp;

/// <summary>
/// Decides whether a client is a registered verifier (JPKI-REFERENCE §8.2): it presents one of
/// <see cref="AuthorityOptions.VerifierKeys"/> (compared in constant time), or a TLS client certificate whose SHA-256
/// thumbprint is in <see cref="AuthorityOptions.VerifierCertificateThumbprints"/> or that chains (valid now, no
/// revocation check) to one of <see cref="AuthorityOptions.VerifierIssuers"/>. Signature-certificate revocation data
/// and linkage are given only to them unless <see cref="AuthorityOptions.OpenSignatureRevocationData"/>; auth-CA
/// revocation data is open.
/// </summary>
public sealed class VerifierAccess
{
    /// <summary>The header carrying the verifier's API key (alternatively <c>Authorization: Bearer &lt;key&gt;</c>).</summary>
    public const string HeaderName = "X-Jpki-Verifier-Key";

    /// <summary>The prefix of a stored key hash: <c>sha256:</c> + 64 hex digits of SHA-256 over the key's UTF-8 bytes.</summary>
    public const string HashPrefix = ApiKeySet.HashPrefix;

    private readonly AuthorityOptions _options;
    private readonly TimeProvider _clock;
    private readonly ApiKeySet _keys;
    private readonly byte[][] _thumbprints;
    private readonly X509Certificate2Collection _issuers;

    /// <summary>Creates the rule from <paramref name="options"/>; <paramref name="clock"/> dates client-certificate chains.</summary>
    public VerifierAccess(AuthorityOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _keys = new ApiKeySet(options.VerifierKeys, "verifier");
        _thumbprints = [.. options.VerifierCertificateThumbprints.Select(ParseThumbprint)];
        _issuers = [.. options.VerifierIssuers.Select(der => X509CertificateLoader.LoadCertificate(der.Span))];
    }

    /// <summary>True when signature-certificate revocation data is open to anyone.</summary>
    public bool Open => _options.OpenSignatureRevocationData;

    /// <summary>True when client certificates can identify a verifier (thumbprints or issuers are configured).</summary>
    public bool AcceptsCertificates => _thumbprints.Length > 0 || _issuers.Count > 0;

    /// <summary>The SHA-256 thumbprint of <paramref name="certificateDer"/>, uppercase hex: the form the settings use.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> certificateDer) => Convert.ToHexString(SHA256.HashData(certificateDer));

    /// <summary>
    /// The form a verifier key is kept in at rest (<c>authority.json</c>): its SHA-256 with <see cref="HashPrefix"/>, so
    /// that reading the data folder does not give the keys away. A value already in that form is returned as is.
    /// </summary>
    public static string StoredForm(string key) => ApiKeySet.StoredForm(key);

    /// <summary>True when <paramref name="presentedKey"/> is a registered verifier key.</summary>
    public bool IsVerifier(string? presentedKey) => _keys.Matches(presentedKey);

    /// <summary>True when the TLS client certificate <paramref name="certificate"/> identifies a registered verifier.</summary>
    public bool IsVerifier(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        var thumbprint = SHA256.HashData(certificate.RawData);
        if (_thumbprints.Any(t => t.AsSpan().SequenceEqual(thumbprint)))
        {
            return true;
        }

        if (_issuers.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_issuers);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _clock.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        try
        {
            return chain.Build(certificate);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    private static byte[] ParseThumbprint(string hex)
    {
        var clean = hex.Replace(":", "", StringComparison.Ordinal).Trim();
        try
        {
            var bytes = Convert.FromHexString(clean);
            return bytes.Length == 32 ? bytes : throw new ArgumentException("A verifier thumbprint is the SHA-256 of the certificate: 64 hex digits.", nameof(hex));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("A verifier thumbprint is the SHA-256 of the certificate: 64 hex digits.", nameof(hex), ex);
        }
    }
}
