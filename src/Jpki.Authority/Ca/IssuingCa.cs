using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Authority.Ca;

/// <summary>One CA: its root certificate, names and signing key. Owns the key.</summary>
public sealed class IssuingCa : IDisposable
{
    /// <summary>Pairs <paramref name="certificateDer"/> with <paramref name="key"/>; takes ownership of the key.</summary>
    /// <exception cref="ArgumentException">The key does not belong to the certificate.</exception>
    public IssuingCa(CertificateKind kind, CaNames names, ReadOnlyMemory<byte> certificateDer, ICaSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(key);
        Kind = kind;
        Names = names;
        Key = key;
        CertificateDer = certificateDer.ToArray();
        Certificate = X509CertificateLoader.LoadCertificate(CertificateDer);
        if (!Certificate.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(key.PublicKey.EncodedKeyValue.RawData))
        {
            throw new ArgumentException("The CA key does not match the CA certificate.", nameof(key));
        }

        SubjectKeyId = CaCertificateProfile.KeyIdentifier(key.PublicKey);
        Name = Certificate.SubjectName;
#pragma warning disable CA5350 // SHA-1 here is the OCSP CertID hash (RFC 6960 §4.1.1; openssl's default), not a signature.
        NameHashSha1 = SHA1.HashData(Name.RawData);
        KeyHashSha1 = SHA1.HashData(key.PublicKey.EncodedKeyValue.RawData);
#pragma warning restore CA5350
        NameHashSha256 = SHA256.HashData(Name.RawData);
        KeyHashSha256 = SHA256.HashData(key.PublicKey.EncodedKeyValue.RawData);
    }

    /// <summary>
    /// Creates a new self-signed root with the J-LIS profile (JPKI-REFERENCE §6.1) for <paramref name="key"/>: 10 years from
    /// <paramref name="issuedAt"/> ending 23:59:59 JST. Takes ownership of the key.
    /// </summary>
    public static IssuingCa CreateRoot(CertificateKind kind, CaNames names, ICaSigningKey key, ReadOnlySpan<byte> serial, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(key);
        return new IssuingCa(kind, names, CaCertificateProfile.Build(names, key, serial, issuedAt), key);
    }

    /// <summary>Which certificates this CA issues.</summary>
    public CertificateKind Kind { get; }

    /// <summary>Its names.</summary>
    public CaNames Names { get; }

    /// <summary>Its signing key.</summary>
    public ICaSigningKey Key { get; }

    /// <summary>The root certificate, DER.</summary>
    public byte[] CertificateDer { get; }

    /// <summary>The root certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The subject (and issuer) name.</summary>
    public X500DistinguishedName Name { get; }

    /// <summary>Its subjectKeyIdentifier: the authorityKeyIdentifier of everything it issues.</summary>
    public byte[] SubjectKeyId { get; }

    internal byte[] NameHashSha1 { get; }

    internal byte[] KeyHashSha1 { get; }

    internal byte[] NameHashSha256 { get; }

    internal byte[] KeyHashSha256 { get; }

    /// <summary>Short name used in URLs and files: <c>sign</c> or <c>auth</c>.</summary>
    public string Slug => SlugOf(Kind);

    /// <summary><c>sign</c> or <c>auth</c>.</summary>
    public static string SlugOf(CertificateKind kind) => WireNames.Of(kind);

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
