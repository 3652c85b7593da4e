namespace Jpki.Authority.Profiles;

/// <summary>Object identifiers of the JPKI profiles (JPKI-REFERENCE §6) and the RFCs they build on.</summary>
internal static class Oids
{
    public const string Country = "2.5.4.6";
    public const string Organization = "2.5.4.10";
    public const string OrganizationalUnit = "2.5.4.11";
    public const string CommonName = "2.5.4.3";
    public const string Locality = "2.5.4.7";

    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string KeyUsage = "2.5.29.15";
    public const string SubjectAltName = "2.5.29.17";
    public const string IssuerAltName = "2.5.29.18";
    public const string BasicConstraints = "2.5.29.19";
    public const string CrlNumber = "2.5.29.20";
    public const string CrlReason = "2.5.29.21";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string CertificatePolicies = "2.5.29.32";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";
    public const string CpsQualifier = "1.3.6.1.5.5.7.2.1";

    public const string Ocsp = "1.3.6.1.5.5.7.48.1";
    public const string OcspBasic = "1.3.6.1.5.5.7.48.1.1";
    public const string OcspNonce = "1.3.6.1.5.5.7.48.1.2";
    public const string OcspNoCheck = "1.3.6.1.5.5.7.48.1.5";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";

    public const string SignPolicy = "1.2.392.200149.8.5.1.1.20";
    public const string AuthPolicy = "1.2.392.200149.8.5.1.3.30";

    // The J-LIS test environment's sign policy [R ZKM]; its auth policy by analogy [I] (JPKI-REFERENCE §6.2).
    public const string TestSignPolicy = "1.2.392.200149.8.5.1.0.20";
    public const string TestAuthPolicy = "1.2.392.200149.8.5.1.0.30";

    public const string PersonalName = "1.2.392.200149.8.5.5.1";
    public const string PersonalNameFlags = "1.2.392.200149.8.5.5.2";
    public const string PersonalSex = "1.2.392.200149.8.5.5.3";
    public const string PersonalBirth = "1.2.392.200149.8.5.5.4";
    public const string PersonalAddress = "1.2.392.200149.8.5.5.5";
    public const string PersonalAddressFlags = "1.2.392.200149.8.5.5.6";
}
