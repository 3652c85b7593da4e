namespace Jpki.Verification.Cades;

/// <summary>Object identifiers of CMS and CAdES (RFC 5652, RFC 5126, ETSI EN 319 122-1) used here.</summary>
internal static class CadesOids
{
    public const string Data = "1.2.840.113549.1.7.1";
    public const string ContentType = "1.2.840.113549.1.9.3";
    public const string MessageDigest = "1.2.840.113549.1.9.4";
    public const string SigningTime = "1.2.840.113549.1.9.5";
    public const string SigningCertificate = "1.2.840.113549.1.9.16.2.12";
    public const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";

    /// <summary>id-aa-signatureTimeStampToken (RFC 3161 Appendix A, CAdES signature-time-stamp).</summary>
    public const string SignatureTimeStamp = "1.2.840.113549.1.9.16.2.14";

    /// <summary>id-aa-ets-contentTimestamp.</summary>
    public const string ContentTimeStamp = "1.2.840.113549.1.9.16.2.20";

    /// <summary>id-aa-ets-archiveTimestampV2 (CAdES-A of TS 101 733; recognised, not produced).</summary>
    public const string ArchiveTimeStampV2 = "1.2.840.113549.1.9.16.2.48";

    /// <summary>id-aa-ets-archiveTimestampV3 (ETSI EN 319 122-1 §5.5.3).</summary>
    public const string ArchiveTimeStampV3 = "0.4.0.1733.2.4";

    /// <summary>id-aa-ATSHashIndex-v3 (ETSI EN 319 122-1 §5.5.2).</summary>
    public const string AtsHashIndexV3 = "0.4.0.19122.1.5";

    /// <summary>id-ri-ocsp-response (RFC 5940): an OCSPResponse in SignedData.crls as OtherRevocationInfoFormat.</summary>
    public const string OcspResponseRevocationInfo = "1.3.6.1.5.5.7.16.2";

    /// <summary>id-pkix-ocsp-basic: a BasicOCSPResponse as OtherRevocationInfoFormat (accepted when reading).</summary>
    public const string OcspBasic = "1.3.6.1.5.5.7.48.1.1";
}
