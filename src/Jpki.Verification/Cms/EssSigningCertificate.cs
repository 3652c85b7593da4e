using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Cms;

/// <summary>
/// The ESS signing-certificate attributes (RFC 2634 §5.4 <c>signingCertificate</c>, RFC 5035 <c>signingCertificateV2</c>):
/// they bind the signature to one certificate, so a different certificate with the same key cannot be substituted.
/// </summary>
internal static class EssSigningCertificate
{
    public const string V1Oid = "1.2.840.113549.1.9.16.2.12";
    public const string V2Oid = Jpki.Core.Cms.SigningCertificateV2.Oid;

    /// <summary>signingCertificateV2 naming <paramref name="certificate"/> by its SHA-256 hash (hashAlgorithm DEFAULT, so omitted).</summary>
    public static byte[] EncodeV2(X509Certificate2 certificate) => Jpki.Core.Cms.SigningCertificateV2.Encode(certificate);

    /// <summary>
    /// Checks that the first certificate named by the attribute is <paramref name="certificate"/>. Returns null when it
    /// matches, or why not.
    /// </summary>
    public static string? Check(string oid, byte[] value, X509Certificate2 certificate)
    {
        try
        {
            var outer = new AsnReader(value, AsnEncodingRules.DER);
            var signingCertificate = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var certs = signingCertificate.ReadSequence();
            var first = certs.ReadSequence();
            var hash = HashAlgorithmName.SHA1;
            if (oid == V2Oid)
            {
                hash = HashAlgorithmName.SHA256;
                if (first.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    var algorithm = first.ReadSequence();
                    if (!DigestAlgorithms.TryGet(algorithm.ReadObjectIdentifier(), out hash))
                    {
                        return "The signingCertificateV2 attribute uses an unsupported hash algorithm.";
                    }
                }
            }

            var certHash = first.ReadOctetString();
            var actual = hash == HashAlgorithmName.SHA1
                ? SHA1.HashData(certificate.RawDataMemory.Span)
                : DigestAlgorithms.Hash(hash, certificate.RawDataMemory.Span);
            if (!CryptographicOperations.FixedTimeEquals(certHash, actual))
            {
                return "The signing-certificate attribute names a different certificate than the one that signed (ESS certHash mismatch).";
            }

            if (first.HasData)
            {
                var issuerSerial = first.ReadSequence();
                _ = issuerSerial.ReadSequence();
                var serial = issuerSerial.ReadIntegerBytes();
                if (!serial.Span.SequenceEqual(certificate.SerialNumberBytes.Span))
                {
                    return "The signing-certificate attribute names a different serial number than the signer certificate.";
                }
            }

            return null;
        }
        catch (AsnContentException)
        {
            return "The signing-certificate attribute is not valid DER.";
        }
    }
}
