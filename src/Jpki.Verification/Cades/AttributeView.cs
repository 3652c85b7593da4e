using System.Formats.Asn1;

namespace Jpki.Verification.Cades;

/// <summary>One CMS Attribute (RFC 5652 §5.3) as encoded: its type and each value.</summary>
internal sealed class AttributeView
{
    public required ReadOnlyMemory<byte> Encoded { get; init; }

    public required string Type { get; init; }

    /// <summary>The attrType OBJECT IDENTIFIER, tag and length included.</summary>
    public required ReadOnlyMemory<byte> TypeEncoded { get; init; }

    /// <summary>Each AttributeValue, tag and length included.</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Values { get; init; }

    public static AttributeView Read(ReadOnlyMemory<byte> encoded, AsnEncodingRules rules)
    {
        var attribute = new AsnReader(encoded, rules).ReadSequence();
        var typeEncoded = attribute.PeekEncodedValue();
        var type = attribute.ReadObjectIdentifier();
        var values = new List<ReadOnlyMemory<byte>>();
        var set = attribute.ReadSetOf(skipSortOrderValidation: true);
        attribute.ThrowIfNotEmpty();
        while (set.HasData)
        {
            values.Add(set.ReadEncodedValue());
        }

        return new AttributeView { Encoded = encoded, Type = type, TypeEncoded = typeEncoded, Values = values };
    }

    /// <summary>A DER Attribute of <paramref name="type"/> with one value.</summary>
    public static byte[] Encode(string type, ReadOnlySpan<byte> value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(type);
            using (writer.PushSetOf())
            {
                writer.WriteEncodedValue(value);
            }
        }

        return writer.Encode();
    }
}
