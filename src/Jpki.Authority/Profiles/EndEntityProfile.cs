using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Authority.Profiles;

/// <summary>
/// Builds the end-entity certificates of JPKI-REFERENCE §6.2. Confirmed parts: subject DNs, the otherName basic 4
/// info, the sign policy (critical, CPS qualifier). Inferred parts [I]: key usage bits, AKI/SKI, issuerAltName, the
/// HTTP CRL distribution point and OCSP access (J-LIS partitions CRLs under a directory name we do not know).
/// </summary>
internal static class EndEntityProfile
{
    public const string CpsUri = "http://www.jpki.go.jp/cps.html";

    public static byte[] Build(
        IssuingCa ca,
        PublicKey subjectKey,
        string commonName,
        SignatureSubject? signature,
        ReadOnlySpan<byte> serial,
        DateTimeOffset issuedAt,
        DateOnly expiryDate,
        string publicBaseUrl,
        int crlPartition = 0)
    {
        var notBefore = CaCertificateProfile.Truncate(issuedAt);
        var notAfter = JapanTime.EndOfDay(expiryDate);
        if (notAfter <= notBefore)
        {
            throw new ArgumentOutOfRangeException(nameof(expiryDate), expiryDate, "The expiry day is before the issuance instant.");
        }

        var baseUrl = publicBaseUrl.TrimEnd('/');
        var isSign = ca.Kind == CertificateKind.Signature;
        if (isSign && signature is null)
        {
            throw new ArgumentNullException(nameof(signature), "A signature certificate needs the holder's basic 4 info.");
        }

        (string, string)[] subjectDn = isSign
            ? [(Oids.Country, "JP"), (Oids.Locality, signature!.Prefecture), (Oids.Locality, signature.Municipality), (Oids.CommonName, commonName)]
            : [(Oids.Country, "JP"), (Oids.CommonName, commonName)];
        var subject = NameEncoding.ToName(subjectDn);

        var request = new CertificateRequest(subject, subjectKey, CaKeySignatureGenerator.HashFor(ca.Key), RSASignaturePadding.Pkcs1);
        var extensions = request.CertificateExtensions;
        extensions.Add(ProfileExtensions.KeyUsage(isSign
            ? ProfileExtensions.KeyUsageBits.DigitalSignature | ProfileExtensions.KeyUsageBits.NonRepudiation
            : ProfileExtensions.KeyUsageBits.DigitalSignature));
        var policy = ca.Names.TestEnvironment ? (isSign ? Oids.TestSignPolicy : Oids.TestAuthPolicy) : (isSign ? Oids.SignPolicy : Oids.AuthPolicy);
        extensions.Add(ProfileExtensions.CertificatePolicy(policy, CpsUri, critical: true));
        if (isSign)
        {
            // Order as the test card wrote them: 1, 4, 3, 5, 2, 6 [R HOLD]; parsers must not rely on it.
            extensions.Add(ProfileExtensions.OtherNames(
            [
                (Oids.PersonalName, signature!.Name),
                (Oids.PersonalBirth, EraDate.Format(signature.DateOfBirth)),
                (Oids.PersonalSex, signature.SexCode),
                (Oids.PersonalAddress, signature.Address),
                (Oids.PersonalNameFlags, signature.NameSubstitutionFlags),
                (Oids.PersonalAddressFlags, signature.AddressSubstitutionFlags),
            ]));
        }

        extensions.Add(ProfileExtensions.DirectoryNameAltName(Oids.IssuerAltName, NameEncoding.CaJapaneseDn(ca.Names)));
        // The partition's CRL (equal to that CRL's issuingDistributionPoint), or the full CRL without partitions.
        extensions.Add(ProfileExtensions.CrlDistributionPointUri(baseUrl + Crl.CrlPartitions.PathOf(ca.Slug, crlPartition, delta: false)));
        extensions.Add(ProfileExtensions.OcspAccess($"{baseUrl}/ocsp"));
        extensions.Add(ProfileExtensions.AuthorityKeyIdentifier(ca.SubjectKeyId));
        extensions.Add(ProfileExtensions.SubjectKeyIdentifier(CaCertificateProfile.KeyIdentifier(subjectKey)));

        using var certificate = request.Create(ca.Name, new CaKeySignatureGenerator(ca.Key), notBefore, notAfter, serial);
        return certificate.RawData;
    }

    /// <summary>The delegated OCSP signing certificate (RFC 6960 §4.2.2.2): EKU OCSPSigning, ocsp-nocheck, short validity.</summary>
    public static byte[] BuildOcspSigner(IssuingCa ca, PublicKey subjectKey, ReadOnlySpan<byte> serial, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var subject = NameEncoding.ToName(
            [(Oids.Country, "JP"), (Oids.Organization, ca.Names.Organization), (Oids.OrganizationalUnit, ca.Names.Unit), (Oids.CommonName, "OCSP Responder")]);
        var request = new CertificateRequest(subject, subjectKey, CaKeySignatureGenerator.HashFor(ca.Key), RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(ProfileExtensions.KeyUsage(ProfileExtensions.KeyUsageBits.DigitalSignature));
        request.CertificateExtensions.Add(ProfileExtensions.OcspSigningUsage());
        request.CertificateExtensions.Add(ProfileExtensions.OcspNoCheck());
        request.CertificateExtensions.Add(ProfileExtensions.AuthorityKeyIdentifier(ca.SubjectKeyId));
        request.CertificateExtensions.Add(ProfileExtensions.SubjectKeyIdentifier(CaCertificateProfile.KeyIdentifier(subjectKey)));
        using var certificate = request.Create(ca.Name, new CaKeySignatureGenerator(ca.Key), CaCertificateProfile.Truncate(notBefore), CaCertificateProfile.Truncate(notAfter), serial);
        return certificate.RawData;
    }
}
