namespace Jpki.Verification.Certificates;

/// <summary>Object identifiers of the JPKI profiles (JPKI-REFERENCE §6) and the RFCs the verifier reads.</summary>
public static class JpkiOids
{
    /// <summary>Policy of the signature certificate (署名用電子証明書), <c>1.2.392.200149.8.5.1.1.20</c>.</summary>
    public const string SignPolicy = "1.2.392.200149.8.5.1.1.20";

    /// <summary>Policy of the authentication certificate (利用者証明用電子証明書), <c>1.2.392.200149.8.5.1.3.30</c>.</summary>
    public const string AuthPolicy = "1.2.392.200149.8.5.1.3.30";

    /// <summary>Signature policy of the J-LIS test environment, <c>1.2.392.200149.8.5.1.0.20</c> [R ZKM].</summary>
    public const string TestSignPolicy = "1.2.392.200149.8.5.1.0.20";

    /// <summary>Authentication policy assumed for the test environment, <c>1.2.392.200149.8.5.1.0.30</c> [I, by analogy].</summary>
    public const string TestAuthPolicy = "1.2.392.200149.8.5.1.0.30";

    /// <summary>氏名 (name).</summary>
    public const string Name = "1.2.392.200149.8.5.5.1";

    /// <summary>氏名代替文字の使用位置情報 (name substitution flags).</summary>
    public const string NameSubstitutions = "1.2.392.200149.8.5.5.2";

    /// <summary>性別 (sex).</summary>
    public const string Sex = "1.2.392.200149.8.5.5.3";

    /// <summary>生年月日 (birth date, EYYYYMMDD).</summary>
    public const string DateOfBirth = "1.2.392.200149.8.5.5.4";

    /// <summary>住所 (address).</summary>
    public const string Address = "1.2.392.200149.8.5.5.5";

    /// <summary>住所代替文字の使用位置情報 (address substitution flags).</summary>
    public const string AddressSubstitutions = "1.2.392.200149.8.5.5.6";

    internal const string SubjectKeyIdentifier = "2.5.29.14";
    internal const string KeyUsage = "2.5.29.15";
    internal const string SubjectAltName = "2.5.29.17";
    internal const string IssuerAltName = "2.5.29.18";
    internal const string BasicConstraints = "2.5.29.19";
    internal const string CrlNumber = "2.5.29.20";
    internal const string CrlReason = "2.5.29.21";
    internal const string InvalidityDate = "2.5.29.24";
    internal const string DeltaCrlIndicator = "2.5.29.27";
    internal const string IssuingDistributionPoint = "2.5.29.28";
    internal const string CrlDistributionPoints = "2.5.29.31";
    internal const string FreshestCrl = "2.5.29.46";
    internal const string CertificatePolicies = "2.5.29.32";
    internal const string AuthorityKeyIdentifier = "2.5.29.35";
    internal const string ExtendedKeyUsage = "2.5.29.37";
    internal const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";
    internal const string OcspSigning = "1.3.6.1.5.5.7.3.9";
    internal const string OcspNoCheck = "1.3.6.1.5.5.7.48.1.5";
    internal const string Ocsp = "1.3.6.1.5.5.7.48.1";
}
