using System.Formats.Asn1;
using System.Numerics;
using Org.BouncyCastle.X509;

namespace Jpki.Authority.Tests.Support;

/// <summary>A CRL read back with BouncyCastle (a second implementation): signature, number, scope and entries.</summary>
public sealed record CrlFile(long Number, long? DeltaBase, string? Partition, string? Freshest, IReadOnlyList<string> Serials, DateTime ThisUpdate, DateTime? NextUpdate)
{
    public static CrlFile Read(string path, byte[] caCertificate)
    {
        var crl = new X509CrlParser().ReadCrl(File.ReadAllBytes(path));
        crl.Verify(new X509CertificateParser().ReadCertificate(caCertificate).GetPublicKey());
        return new CrlFile(
            (long)Integer(crl.GetExtensionValue(new Org.BouncyCastle.Asn1.DerObjectIdentifier("2.5.29.20")))!,
            Integer(crl.GetExtensionValue(new Org.BouncyCastle.Asn1.DerObjectIdentifier("2.5.29.27"))) is { } b ? (long)b : null,
            Uri(crl.GetExtensionValue(new Org.BouncyCastle.Asn1.DerObjectIdentifier("2.5.29.28")), idp: true),
            Uri(crl.GetExtensionValue(new Org.BouncyCastle.Asn1.DerObjectIdentifier("2.5.29.46")), idp: false),
            [.. (crl.GetRevokedCertificates() ?? (IEnumerable<X509CrlEntry>)[]).Select(e => Convert.ToHexString(e.SerialNumber.ToByteArrayUnsigned()))],
            crl.ThisUpdate,
            crl.NextUpdate);
    }

    private static BigInteger? Integer(Org.BouncyCastle.Asn1.Asn1OctetString? value)
        => value is null ? null : new AsnReader(value.GetOctets(), AsnEncodingRules.DER).ReadInteger();

    private static string? Uri(Org.BouncyCastle.Asn1.Asn1OctetString? value, bool idp)
    {
        if (value is null)
        {
            return null;
        }

        var reader = new AsnReader(value.GetOctets(), AsnEncodingRules.DER).ReadSequence();
        if (!idp)
        {
            reader = reader.ReadSequence();
        }

        var point = reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
        var names = point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
        return names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
    }
}
