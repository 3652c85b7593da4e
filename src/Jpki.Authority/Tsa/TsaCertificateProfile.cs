using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;

namespace Jpki.Authority.Tsa;

/// <summary>
/// The certificates of OpenJpki's time-stamping authority: a self-signed TSA root (its own hierarchy, apart from the
/// two JPKI CAs, as real TSAs in Japan are private services trusted separately) and the TSA unit certificate it
/// issues (RFC 3161 §2.3: extendedKeyUsage id-kp-timeStamping only, critical).
/// </summary>
internal static class TsaCertificateProfile
{
    /// <summary>id-kp-timeStamping, 1.3.6.1.5.5.7.3.8.</summary>
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    public const int RootValidityYears = 20;
    public const int UnitValidityYears = 10;

    /// <summary>The TSA root's name: <c>C=JP, O=JPKI-TEST (or OpenJpki), OU=OpenJpki Time-Stamping, CN=… TSA Root</c>.</summary>
    public static X500DistinguishedName RootName(bool test) => Name(test, test ? "OpenJpki Test TSA Root" : "OpenJpki TSA Root");

    /// <summary>The TSA unit's name.</summary>
    public static X500DistinguishedName UnitName(bool test) => Name(test, test ? "OpenJpki Test TSA 1" : "OpenJpki TSA 1");

    public static byte[] BuildRoot(X500DistinguishedName name, ICaSigningKey key, ReadOnlySpan<byte> serial, DateTimeOffset issuedAt)
    {
        var notBefore = CaCertificateProfile.Truncate(issuedAt);
        var request = new CertificateRequest(name, key.PublicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(ProfileExtensions.KeyUsage(ProfileExtensions.KeyUsageBits.KeyCertSign | ProfileExtensions.KeyUsageBits.CrlSign));
        request.CertificateExtensions.Add(ProfileExtensions.CaBasicConstraints());
        request.CertificateExtensions.Add(ProfileExtensions.SubjectKeyIdentifier(CaCertificateProfile.KeyIdentifier(key.PublicKey)));
        using var certificate = request.Create(name, new CaKeySignatureGenerator(key), notBefore, notBefore.AddYears(RootValidityYears), serial);
        return certificate.RawData;
    }

    public static byte[] BuildUnit(X509Certificate2 root, ICaSigningKey rootKey, X500DistinguishedName name, PublicKey unitKey, ReadOnlySpan<byte> serial, DateTimeOffset issuedAt)
    {
        var notBefore = CaCertificateProfile.Truncate(issuedAt);
        var notAfter = notBefore.AddYears(UnitValidityYears);
        if (notAfter > root.NotAfter.ToUniversalTime())
        {
            notAfter = new DateTimeOffset(root.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        }

        var request = new CertificateRequest(name, unitKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(ProfileExtensions.KeyUsage(ProfileExtensions.KeyUsageBits.DigitalSignature | ProfileExtensions.KeyUsageBits.NonRepudiation));
        request.CertificateExtensions.Add(TimeStampingUsage());
        request.CertificateExtensions.Add(ProfileExtensions.SubjectKeyIdentifier(CaCertificateProfile.KeyIdentifier(unitKey)));
        request.CertificateExtensions.Add(ProfileExtensions.AuthorityKeyIdentifier(CaCertificateProfile.KeyIdentifier(rootKey.PublicKey)));
        using var certificate = request.Create(root.SubjectName, new CaKeySignatureGenerator(rootKey), notBefore, notAfter, serial);
        return certificate.RawData;
    }

    /// <summary>extendedKeyUsage with id-kp-timeStamping alone, critical (RFC 3161 §2.3).</summary>
    private static X509Extension TimeStampingUsage()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(TimeStampingOid);
        }

        return new X509Extension(Oids.ExtendedKeyUsage, writer.Encode(), critical: true);
    }

    private static X500DistinguishedName Name(bool test, string commonName)
    {
        // The builder encodes the last added RDN first: C=JP comes first in the DER, as in the JPKI names.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        builder.AddOrganizationalUnitName("OpenJpki Time-Stamping");
        builder.AddOrganizationName(test ? "JPKI-TEST" : "OpenJpki");
        builder.AddCountryOrRegion("JP");
        return builder.Build();
    }
}
