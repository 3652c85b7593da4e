using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Authority.Profiles;

/// <summary>The certificate extensions of the JPKI profiles, each encoded by hand in DER so the bytes are exactly known.</summary>
internal static class ProfileExtensions
{
    /// <summary>keyUsage bits (RFC 5280 §4.2.1.3), named in bit order.</summary>
    [Flags]
    internal enum KeyUsageBits
    {
        DigitalSignature = 1 << 0,
        NonRepudiation = 1 << 1,
        KeyEncipherment = 1 << 2,
        DataEncipherment = 1 << 3,
        KeyAgreement = 1 << 4,
        KeyCertSign = 1 << 5,
        CrlSign = 1 << 6,
    }

    public static X509Extension KeyUsage(KeyUsageBits bits)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteNamedBitList(bits);
        return new X509Extension(Oids.KeyUsage, writer.Encode(), critical: true);
    }

    public static X509Extension CaBasicConstraints()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteBoolean(true);
        }

        return new X509Extension(Oids.BasicConstraints, writer.Encode(), critical: true);
    }

    public static X509Extension DirectoryNameAltName(string oid, IReadOnlyList<(string Oid, string Value)> name)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        NameEncoding.WriteDirectoryGeneralNames(writer, name);
        return new X509Extension(oid, writer.Encode(), critical: false);
    }

    /// <summary>cRLDistributionPoints with one fullName directoryName (the CA roots point at their own DN, the ARL).</summary>
    public static X509Extension CrlDistributionPointDirectory(IReadOnlyList<(string Oid, string Value)> name)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
        {
            NameEncoding.WriteName(writer, name);
        }

        return new X509Extension(Oids.CrlDistributionPoints, writer.Encode(), critical: false);
    }

    /// <summary>cRLDistributionPoints with one fullName URI.</summary>
    public static X509Extension CrlDistributionPointUri(string uri) => new(Oids.CrlDistributionPoints, DistributionPointsUri(uri), critical: false);

    /// <summary>freshestCRL (RFC 5280 §5.2.6, the syntax of cRLDistributionPoints, non-critical) with one fullName URI.</summary>
    public static X509Extension FreshestCrl(string uri) => new(Oids.FreshestCrl, DistributionPointsUri(uri), critical: false);

    /// <summary>
    /// issuingDistributionPoint (RFC 5280 §5.2.5, critical) naming one fullName URI — the partition's URL, equal to the
    /// cRLDistributionPoints of the certificates it covers — and nothing else.
    /// </summary>
    public static X509Extension IssuingDistributionPoint(string uri)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
        }

        return new X509Extension(Oids.IssuingDistributionPoint, writer.Encode(), critical: true);
    }

    private static byte[] DistributionPointsUri(string uri)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
        }

        return writer.Encode();
    }

    public static X509Extension OcspAccess(string uri)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oids.Ocsp);
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
        }

        return new X509Extension(Oids.AuthorityInfoAccess, writer.Encode(), critical: false);
    }

    public static X509Extension SubjectKeyIdentifier(ReadOnlySpan<byte> keyId)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(keyId);
        return new X509Extension(Oids.SubjectKeyIdentifier, writer.Encode(), critical: false);
    }

    public static X509Extension AuthorityKeyIdentifier(ReadOnlySpan<byte> keyId)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteOctetString(keyId, new Asn1Tag(TagClass.ContextSpecific, 0));
        }

        return new X509Extension(Oids.AuthorityKeyIdentifier, writer.Encode(), critical: false);
    }

    public static X509Extension CertificatePolicy(string policyOid, string cpsUri, bool critical)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(policyOid);
            using (writer.PushSequence())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.CpsQualifier);
                writer.WriteCharacterString(UniversalTagNumber.IA5String, cpsUri);
            }
        }

        return new X509Extension(Oids.CertificatePolicies, writer.Encode(), critical);
    }

    /// <summary>subjectAltName of otherName entries, each <c>[0] EXPLICIT UTF8String</c> (JPKI-REFERENCE §6.2).</summary>
    public static X509Extension OtherNames(IReadOnlyList<(string Oid, string Value)> entries)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in entries)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteObjectIdentifier(oid);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                    }
                }
            }
        }

        return new X509Extension(Oids.SubjectAltName, writer.Encode(), critical: false);
    }

    public static X509Extension OcspSigningUsage()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oids.OcspSigning);
        }

        return new X509Extension(Oids.ExtendedKeyUsage, writer.Encode(), critical: false);
    }

    /// <summary>id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): value NULL.</summary>
    public static X509Extension OcspNoCheck() => new(Oids.OcspNoCheck, [0x05, 0x00], critical: false);
}
