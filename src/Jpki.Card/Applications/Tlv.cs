namespace Jpki.Card.Applications;

/// <summary>
/// BER-TLV objects with 1- or 2-byte tags as the 券面 APs store them (private tags <c>DFxx</c>/<c>FFxx</c>, application
/// tags <c>5Fxx</c>/<c>7F21</c>, context tags <c>90</c>/<c>91</c>). Lengths are definite and minimal unless a layout says
/// otherwise.
/// </summary>
internal static class Tlv
{
    /// <summary>Encodes one object with a minimal definite length.</summary>
    public static byte[] Encode(ushort tag, ReadOnlySpan<byte> value) => Encode(tag, value, minimalLengthBytes: 0);

    /// <summary>Encodes one object; <paramref name="minimalLengthBytes"/> forces the long form with that many length bytes (0 = minimal).</summary>
    public static byte[] Encode(ushort tag, ReadOnlySpan<byte> value, int minimalLengthBytes)
    {
        var tagBytes = tag > 0xFF ? 2 : 1;
        var length = LengthOfLength(value.Length, minimalLengthBytes);
        var buffer = new byte[tagBytes + length + value.Length];
        var at = 0;
        if (tagBytes == 2)
        {
            buffer[at++] = (byte)(tag >> 8);
        }

        buffer[at++] = (byte)(tag & 0xFF);
        at += WriteLength(buffer.AsSpan(at), value.Length, length);
        value.CopyTo(buffer.AsSpan(at));
        return buffer;
    }

    /// <summary>Concatenates objects.</summary>
    public static byte[] Concat(params byte[][] parts)
    {
        var buffer = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(buffer, at);
            at += part.Length;
        }

        return buffer;
    }

    /// <summary>
    /// A constructed object whose first child is an offset table <paramref name="tableTag"/> of big-endian u16 offsets,
    /// counted from the first byte of the file, to each of <paramref name="fields"/> (the layout of text AP EF 0002 and
    /// visual AP EF 0002 [R soltia48/myna-card]).
    /// </summary>
    public static byte[] WithOffsetTable(ushort outerTag, ushort tableTag, IReadOnlyList<byte[]> fields)
    {
        var tableLength = LengthOf(tableTag, fields.Count * 2);
        var inner = tableLength + fields.Sum(f => f.Length);
        var header = (outerTag > 0xFF ? 2 : 1) + LengthOfLength(inner, 0);
        var offsets = new byte[fields.Count * 2];
        var position = header + tableLength;
        for (var i = 0; i < fields.Count; i++)
        {
            offsets[2 * i] = checked((byte)(position >> 8));
            offsets[(2 * i) + 1] = (byte)(position & 0xFF);
            position = checked(position + fields[i].Length);
            if (position > ushort.MaxValue)
            {
                throw new ArgumentException("The fields do not fit 16-bit offsets.", nameof(fields));
            }
        }

        return Encode(outerTag, Concat([Encode(tableTag, offsets), .. fields]));
    }

    /// <summary>
    /// Reads one object at the start of <paramref name="data"/>: its tag (1 or 2 bytes: a first byte with low bits 11111
    /// takes one more), its value and its whole length. Returns false when the object is malformed or truncated.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out ushort tag, out Range value, out int total)
    {
        tag = 0;
        value = default;
        total = 0;
        if (data.Length < 2)
        {
            return false;
        }

        var at = 1;
        tag = data[0];
        if ((data[0] & 0x1F) == 0x1F)
        {
            if ((data[1] & 0x80) != 0)
            {
                return false;
            }

            tag = (ushort)((data[0] << 8) | data[1]);
            at = 2;
        }

        if (at >= data.Length)
        {
            return false;
        }

        int length = data[at++];
        if (length > 0x80)
        {
            var count = length & 0x7F;
            if (count > 2 || at + count > data.Length)
            {
                return false;
            }

            length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | data[at++];
            }
        }
        else if (length == 0x80)
        {
            return false; // indefinite length is not used by these files
        }

        if (at + length > data.Length)
        {
            return false;
        }

        value = new Range(at, at + length);
        total = at + length;
        return true;
    }

    private static int LengthOf(ushort tag, int valueLength) => (tag > 0xFF ? 2 : 1) + LengthOfLength(valueLength, 0) + valueLength;

    private static int LengthOfLength(int length, int forced) => forced > 0 ? 1 + forced : length switch
    {
        < 0x80 => 1,
        < 0x100 => 2,
        < 0x10000 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(length), length, "Objects are at most 65535 bytes."),
    };

    private static int WriteLength(Span<byte> buffer, int length, int size)
    {
        if (size == 1)
        {
            buffer[0] = (byte)length;
            return 1;
        }

        buffer[0] = (byte)(0x80 | (size - 1));
        for (var i = size - 1; i >= 1; i--)
        {
            buffer[i] = (byte)(length & 0xFF);
            length >>= 8;
        }

        return size;
    }
}
