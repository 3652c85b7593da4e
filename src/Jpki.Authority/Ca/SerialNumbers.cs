namespace Jpki.Authority.Ca;

/// <summary>Serial numbers as the registry keys them: uppercase hex of the big-endian octets, leading zero octets removed.</summary>
public static class SerialNumbers
{
    /// <summary>Hex of <paramref name="bigEndian"/> without leading zero octets ("00" for zero).</summary>
    public static string ToHex(ReadOnlySpan<byte> bigEndian)
    {
        var start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(bigEndian[start..]);
    }

    /// <summary>
    /// Normalises user input (any case, optional 0x, odd length) to the registry form; false when not hex or empty.
    /// </summary>
    public static bool TryNormalize(string? text, out string serialHex)
    {
        serialHex = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            t = t[2..];
        }

        t = t.Replace(":", string.Empty, StringComparison.Ordinal);
        if (t.Length == 0 || t.Length > 42 || !t.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        if (t.Length % 2 == 1)
        {
            t = "0" + t;
        }

        serialHex = ToHex(Convert.FromHexString(t));
        return true;
    }

    /// <summary>The big-endian octets of a registry serial, as DER INTEGER content (a leading 00 added when the top bit is set).</summary>
    public static byte[] ToIntegerContent(string serialHex)
    {
        ArgumentNullException.ThrowIfNull(serialHex);
        var bytes = Convert.FromHexString(serialHex.Length % 2 == 1 ? "0" + serialHex : serialHex);
        return bytes.Length > 0 && bytes[0] >= 0x80 ? [0, .. bytes] : bytes;
    }
}
