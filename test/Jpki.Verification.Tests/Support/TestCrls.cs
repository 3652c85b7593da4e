using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Tests.Support;

/// <summary>
/// Writes v2 CRLs with the extensions the BCL builder cannot add (issuingDistributionPoint, deltaCRLIndicator,
/// freshestCRL), by hand with AsnWriter, independent of the authority's writer.
/// </summary>
public static class TestCrls
{
    public sealed record Spec
    {
        public X509Certificate2 Issuer { get; init; } = TestPki.SignCa;

        public RSA Key { get; init; } = TestPki.SignCaKey;

        public long Number { get; init; } = 1;

        public DateTimeOffset ThisUpdate { get; init; } = TestPki.Now.AddHours(-1);

        public DateTimeOffset NextUpdate { get; init; } = TestPki.Now.AddDays(1);

        /// <summary>Revoked certificates with time and reason (null: no reasonCode).</summary>
        public IReadOnlyList<(X509Certificate2 Certificate, DateTimeOffset At, int? Reason)> Revoked { get; init; } = [];

        /// <summary>issuingDistributionPoint fullName URI (a partition), or null.</summary>
        public string? Partition { get; init; }

        /// <summary>onlySomeReasons in the IDP (unsupported by the verifier).</summary>
        public bool OnlySomeReasons { get; init; }

        /// <summary>deltaCRLIndicator BaseCRLNumber (a delta CRL), or null.</summary>
        public long? DeltaBase { get; init; }

        /// <summary>freshestCRL URI, or null.</summary>
        public string? Freshest { get; init; }
    }

    public static byte[] Build(Spec spec)
    {
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            Algorithm(tbs);
            tbs.WriteEncodedValue(spec.Issuer.SubjectName.RawData);
            tbs.WriteUtcTime(spec.ThisUpdate);
            tbs.WriteUtcTime(spec.NextUpdate);
            if (spec.Revoked.Count > 0)
            {
                using (tbs.PushSequence())
                {
                    foreach (var (certificate, at, reason) in spec.Revoked)
                    {
                        using (tbs.PushSequence())
                        {
                            tbs.WriteIntegerUnsigned(Unsigned(certificate.SerialNumberBytes.Span));
                            tbs.WriteUtcTime(at);
                            if (reason is { } r)
                            {
                                using (tbs.PushSequence())
                                using (tbs.PushSequence())
                                {
                                    tbs.WriteObjectIdentifier("2.5.29.21");
                                    var value = new AsnWriter(AsnEncodingRules.DER);
                                    value.WriteEnumeratedValue((X509RevocationReason)r);
                                    tbs.WriteOctetString(value.Encode());
                                }
                            }
                        }
                    }
                }
            }

            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (tbs.PushSequence())
            {
                var ski = spec.Issuer.Extensions["2.5.29.14"] is X509SubjectKeyIdentifierExtension s ? s.SubjectKeyIdentifierBytes.ToArray() : [];
                Extension(tbs, "2.5.29.35", false, w =>
                {
                    using (w.PushSequence())
                    {
                        w.WriteOctetString(ski, new Asn1Tag(TagClass.ContextSpecific, 0));
                    }
                });
                Extension(tbs, "2.5.29.20", false, w => w.WriteInteger(new BigInteger(spec.Number)));
                if (spec.DeltaBase is { } deltaBase)
                {
                    Extension(tbs, "2.5.29.27", true, w => w.WriteInteger(new BigInteger(deltaBase)));
                }

                if (spec.Partition is not null || spec.OnlySomeReasons)
                {
                    Extension(tbs, "2.5.29.28", true, w =>
                    {
                        using (w.PushSequence())
                        {
                            if (spec.Partition is { } uri)
                            {
                                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                                {
                                    w.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
                                }
                            }

                            if (spec.OnlySomeReasons)
                            {
                                w.WriteNamedBitList(X509KeyUsageFlags.DigitalSignature, new Asn1Tag(TagClass.ContextSpecific, 3));
                            }
                        }
                    });
                }

                if (spec.Freshest is { } freshest)
                {
                    Extension(tbs, "2.5.29.46", false, w => DistributionPoint(w, freshest));
                }
            }
        }

        var tbsBytes = tbs.Encode();
        var signature = spec.Key.SignData(tbsBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var crl = new AsnWriter(AsnEncodingRules.DER);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(tbsBytes);
            Algorithm(crl);
            crl.WriteBitString(signature);
        }

        return crl.Encode();
    }

    /// <summary>A cRLDistributionPoints extension value with one URI (also the syntax of freshestCRL).</summary>
    public static void DistributionPoint(AsnWriter writer, string uri)
    {
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
        }
    }

    private static ReadOnlySpan<byte> Unsigned(ReadOnlySpan<byte> serial)
    {
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        return serial;
    }

    private static void Algorithm(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.11");
            writer.WriteNull();
        }
    }

    private static void Extension(AsnWriter writer, string oid, bool critical, Action<AsnWriter> value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true);
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            value(inner);
            writer.WriteOctetString(inner.Encode());
        }
    }
}
