using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Core.Cms;

/// <summary>
/// The ESS <c>signingCertificateV2</c> signed attribute (RFC 5035 §3): it binds a CMS signature — a document signature
/// (CAdES B-B) or a time-stamp token (RFC 5816) — to one certificate, so that another certificate with the same key
/// cannot be substituted.
/// </summary>
public static class SigningCertificateV2
{
    /// <summary>The attribute type <c>id-aa-signingCertificateV2</c>, 1.2.840.113549.1.9.16.2.47.</summary>
    public const string Oid = "1.2.840.113549.1.9.16.2.47";

    /// <summary>
    /// The attribute value naming <paramref name="certificate"/> by its SHA-256 hash (hashAlgorithm DEFAULT, so
    /// omitted) with issuerSerial.
    /// </summary>
    public static byte[] Encode(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawDataMemory.Span));
            writer.WriteEncodedValue(IssuerSerial(certificate));
        }

        return writer.Encode();
    }

    /// <summary>
    /// The DER <c>IssuerSerial</c> of <paramref name="certificate"/> (RFC 5035: the issuer as a directoryName
    /// GeneralName, and the serial number) — also what XAdES <c>IssuerSerialV2</c> carries in base64 (ETSI EN 319 132-1 §5.2.2).
    /// </summary>
    public static byte[] IssuerSerial(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
            {
                writer.WriteEncodedValue(certificate.IssuerName.RawData);
            }

            writer.WriteIntegerUnsigned(certificate.SerialNumberBytes.Span.TrimStart((byte)0));
        }

        return writer.Encode();
    }
}
