using Jpki.Card.Applications;

namespace Jpki.Card.Tests.Surface;

/// <summary>Reads the 券面 APs' EFs off a test card and splits their TLV objects (tag → value), as a reader does.</summary>
internal static class SurfaceReader
{
    /// <summary>Selects <paramref name="fid"/> in the current AP and reads it whole (≤ 256-byte chunks until 6B00 or a short chunk).</summary>
    public static byte[] ReadEf(TestCard card, string fid)
    {
        Assert.Equal(0x9000, card.Sw("00A4020C02" + fid));
        var content = new List<byte>();
        while (true)
        {
            var (sw, data) = card.Send($"00B0{content.Count:X4}00");
            if (sw == 0x6B00)
            {
                break;
            }

            Assert.Equal(0x9000, sw);
            content.AddRange(data);
            if (data.Length < 256)
            {
                break;
            }
        }

        return [.. content];
    }

    /// <summary>The children of the outer object: (tag, value, offset of the child from the start of the file).</summary>
    public static List<(ushort Tag, byte[] Value, int Offset)> Children(byte[] ef)
    {
        Assert.True(Tlv.TryRead(ef, out _, out var value, out _));
        var result = new List<(ushort, byte[], int)>();
        var position = value.Start.Value;
        var inner = ef.AsSpan(value);
        while (!inner.IsEmpty && inner[0] is not (0x00 or 0xFF))
        {
            Assert.True(Tlv.TryRead(inner, out var tag, out var child, out var total));
            result.Add((tag, inner[child].ToArray(), position));
            position += total;
            inner = inner[total..];
        }

        return result;
    }

    public static byte[] Field(byte[] ef, ushort tag) => Children(ef).Single(c => c.Tag == tag).Value;

    /// <summary>The raw bytes of the children before <paramref name="tag"/>: what the records' signatures cover.</summary>
    public static byte[] BytesBefore(byte[] ef, ushort tag)
    {
        var children = Children(ef);
        var start = children[0].Offset;
        var end = children.Single(c => c.Tag == tag).Offset;
        return ef[start..end];
    }

    /// <summary>An RSA public key from the card's <c>90</c>/<c>91</c> encoding.</summary>
    public static System.Security.Cryptography.RSA PublicKey(byte[] encoded)
    {
        Assert.True(Tlv.TryRead(encoded, out var t1, out var v1, out var n1));
        Assert.Equal(0x90, t1);
        Assert.True(Tlv.TryRead(encoded.AsSpan(n1), out var t2, out var v2, out var n2));
        Assert.Equal(0x91, t2);
        Assert.Equal(encoded.Length, n1 + n2);
        return System.Security.Cryptography.RSA.Create(new System.Security.Cryptography.RSAParameters
        {
            Exponent = encoded[v1],
            Modulus = encoded.AsSpan(n1)[v2].ToArray(),
        });
    }
}
