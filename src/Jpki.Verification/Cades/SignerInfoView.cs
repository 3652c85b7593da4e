using System.Formats.Asn1;

namespace Jpki.Verification.Cades;

/// <summary>One SignerInfo (RFC 5652 §5.3) read into its fields as encoded.</summary>
internal sealed class SignerInfoView
{
    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);

    public required ReadOnlyMemory<byte> Encoded { get; init; }

    public required ReadOnlyMemory<byte> Version { get; init; }

    public required ReadOnlyMemory<byte> Sid { get; init; }

    public required ReadOnlyMemory<byte> DigestAlgorithm { get; init; }

    /// <summary>The signed attributes with their <c>[0]</c> tag, as encoded; empty when absent.</summary>
    public required ReadOnlyMemory<byte> SignedAttributes { get; init; }

    /// <summary>Each signed Attribute.</summary>
    public required IReadOnlyList<AttributeView> SignedAttributeList { get; init; }

    public required ReadOnlyMemory<byte> SignatureAlgorithm { get; init; }

    /// <summary>The signature OCTET STRING, tag and length included.</summary>
    public required ReadOnlyMemory<byte> SignatureEncoded { get; init; }

    /// <summary>The signature value octets (what a signature-time-stamp covers).</summary>
    public required byte[] SignatureValue { get; init; }

    /// <summary>Each unsigned Attribute, in encoded order.</summary>
    public required IReadOnlyList<AttributeView> UnsignedAttributes { get; init; }

    public static SignerInfoView Read(ReadOnlyMemory<byte> encoded, AsnEncodingRules rules)
    {
        var info = new AsnReader(encoded, rules).ReadSequence();
        var version = info.ReadEncodedValue();
        var sid = info.ReadEncodedValue();
        var digest = info.ReadEncodedValue();
        ReadOnlyMemory<byte> signed = default;
        var signedList = new List<AttributeView>();
        if (info.PeekTag().HasSameClassAndValue(Context0))
        {
            signed = info.PeekEncodedValue();
            var set = info.ReadSetOf(skipSortOrderValidation: true, Context0);
            while (set.HasData)
            {
                signedList.Add(AttributeView.Read(set.ReadEncodedValue(), rules));
            }
        }

        var algorithm = info.ReadEncodedValue();
        var signatureEncoded = info.PeekEncodedValue();
        var signature = info.ReadOctetString();
        var unsigned = new List<AttributeView>();
        if (info.HasData)
        {
            var set = info.ReadSetOf(skipSortOrderValidation: true, Context1);
            while (set.HasData)
            {
                unsigned.Add(AttributeView.Read(set.ReadEncodedValue(), rules));
            }
        }

        info.ThrowIfNotEmpty();
        return new SignerInfoView
        {
            Encoded = encoded,
            Version = version,
            Sid = sid,
            DigestAlgorithm = digest,
            SignedAttributes = signed,
            SignedAttributeList = signedList,
            SignatureAlgorithm = algorithm,
            SignatureEncoded = signatureEncoded,
            SignatureValue = signature,
            UnsignedAttributes = unsigned,
        };
    }

    /// <summary>Writes this SignerInfo with <paramref name="unsignedAttributes"/> (whole Attribute encodings) instead of its own.</summary>
    public void WriteWithUnsignedAttributes(AsnWriter writer, IEnumerable<ReadOnlyMemory<byte>> unsignedAttributes)
    {
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(Version.Span);
            writer.WriteEncodedValue(Sid.Span);
            writer.WriteEncodedValue(DigestAlgorithm.Span);
            if (!SignedAttributes.IsEmpty)
            {
                writer.WriteEncodedValue(SignedAttributes.Span);
            }

            writer.WriteEncodedValue(SignatureAlgorithm.Span);
            writer.WriteEncodedValue(SignatureEncoded.Span);
            var list = unsignedAttributes.ToList();
            if (list.Count > 0)
            {
                using (writer.PushSetOf(Context1))
                {
                    foreach (var attribute in list)
                    {
                        writer.WriteEncodedValue(attribute.Span);
                    }
                }
            }
        }
    }
}
