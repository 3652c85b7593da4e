namespace Jpki.Authority.Ca;

/// <summary>
/// Serial numbers as the registry keys them: uppercase hex of the big-endian octets, leading zero octets removed. The
/// rule itself is <see cref="CertificateSerial"/> (the contract's typed serial); these are the string forms the registry uses.
/// </summary>
public static class SerialNumbers
{
    /// <summary>Hex of <paramref name="bigEndian"/> without leading zero octets ("00" for zero).</summary>
    public static string ToHex(ReadOnlySpan<byte> bigEndian) => CertificateSerial.HexOf(bigEndian);

    /// <summary>
    /// Normalises user input (any case, optional 0x, odd length) to the registry form; false when not hex or empty.
    /// </summary>
    public static bool TryNormalize(string? text, out string serialHex)
    {
        var ok = CertificateSerial.TryParse(text, out var serial);
        serialHex = ok ? serial.Hex : string.Empty;
        return ok;
    }

    /// <summary>The big-endian octets of a registry serial, as DER INTEGER content (a leading 00 added when the top bit is set).</summary>
    public static byte[] ToIntegerContent(string serialHex)
    {
        ArgumentNullException.ThrowIfNull(serialHex);
        return CertificateSerial.Parse(serialHex).ToIntegerContent();
    }
}
