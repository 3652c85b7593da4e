using System.Text;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>Reader names and multi-strings: UTF-8 <c>char</c> in pcsc-lite and PCSC.framework, UTF-16LE <c>WCHAR</c> in winscard's W calls.</summary>
internal static class PcscStrings
{
    /// <summary>NUL-terminated bytes of <paramref name="text"/>.</summary>
    public static byte[] Encode(string text, int charSize)
    {
        ArgumentNullException.ThrowIfNull(text);
        var encoding = EncodingFor(charSize);
        var bytes = new byte[encoding.GetByteCount(text) + charSize];
        encoding.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>
    /// The names in a multi-string of <paramref name="length"/> characters (each name NUL-terminated, the list ended by
    /// an empty name). Stops at the first empty name; tolerates a missing final NUL.
    /// </summary>
    public static IReadOnlyList<string> DecodeMulti(ReadOnlySpan<byte> buffer, int length, int charSize)
    {
        var encoding = EncodingFor(charSize);
        var bytes = buffer[..Math.Min(buffer.Length, checked(length * charSize))];
        var names = new List<string>();
        var start = 0;
        for (var at = 0; at + charSize <= bytes.Length; at += charSize)
        {
            if (!IsNul(bytes.Slice(at, charSize)))
            {
                continue;
            }

            if (at == start)
            {
                return names; // empty name: end of the list
            }

            names.Add(encoding.GetString(bytes[start..at]));
            start = at + charSize;
        }

        if (start < bytes.Length)
        {
            names.Add(encoding.GetString(bytes[start..])); // the last name lacks its NUL
        }

        return names;
    }

    private static bool IsNul(ReadOnlySpan<byte> character)
    {
        foreach (var b in character)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static Encoding EncodingFor(int charSize) => charSize switch
    {
        1 => Encoding.UTF8,
        2 => Encoding.Unicode,
        _ => throw new ArgumentOutOfRangeException(nameof(charSize), charSize, "Characters have 1 or 2 bytes."),
    };
}
