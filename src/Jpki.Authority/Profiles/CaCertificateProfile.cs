using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Keys;
using Jpki.Core.Time;

namespace Jpki.Authority.Profiles;

/// <summary>
/// Builds a self-signed JPKI root exactly as J-LIS does (JPKI-REFERENCE §6.1, decoded from signca03/authca03):
/// extensions in the order keyUsage, subjectAltName, basicConstraints, cRLDistributionPoints, subjectKeyIdentifier;
/// no AKI, no policies; 10 years ending 23:59:59 JST.
/// </summary>
internal static class CaCertificateProfile
{
    public const int ValidityYears = 10;

    /// <summary>
    /// A next-generation (P-384) root: 20 years, ours [I] — its end-entity certificates run 10 years (JPKI-REFERENCE §14)
    /// and cannot outlive the CA, so a root must cover at least one full certificate lifetime after years of issuing.
    /// </summary>
    public const int NextGenerationValidityYears = 20;

    public static byte[] Build(CaNames names, ICaSigningKey key, ReadOnlySpan<byte> serial, DateTimeOffset issuedAt)
    {
        var notBefore = Truncate(issuedAt);
        var years = key.SignatureAlgorithm == CaSignatureAlgorithm.EcdsaWithSha384 ? NextGenerationValidityYears : ValidityYears;
        var lastDay = JapanTime.ToJapanDate(notBefore).AddYears(years).AddDays(-1);
        var notAfter = JapanTime.EndOfDay(lastDay);
        var dn = NameEncoding.CaDn(names);
        var name = NameEncoding.ToName(dn);

        var request = new CertificateRequest(name, key.PublicKey, CaKeySignatureGenerator.HashFor(key), RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(ProfileExtensions.KeyUsage(ProfileExtensions.KeyUsageBits.KeyCertSign | ProfileExtensions.KeyUsageBits.CrlSign));
        request.CertificateExtensions.Add(ProfileExtensions.DirectoryNameAltName(Oids.SubjectAltName, NameEncoding.CaJapaneseDn(names)));
        request.CertificateExtensions.Add(ProfileExtensions.CaBasicConstraints());
        request.CertificateExtensions.Add(ProfileExtensions.CrlDistributionPointDirectory(dn));
        request.CertificateExtensions.Add(ProfileExtensions.SubjectKeyIdentifier(KeyIdentifier(key.PublicKey)));

        using var certificate = request.Create(name, new CaKeySignatureGenerator(key), notBefore, notAfter, serial);
        return certificate.RawData;
    }

    /// <summary>RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value (what J-LIS uses, checked on signca03).</summary>
    public static byte[] KeyIdentifier(PublicKey publicKey) => SHA1.HashData(publicKey.EncodedKeyValue.RawData);

    /// <summary>Certificates carry whole seconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) => new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
