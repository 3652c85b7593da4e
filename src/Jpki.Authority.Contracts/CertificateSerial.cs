namespace Jpki.Authority.Contracts;

/// <summary>
/// A certificate serial number as the registry keys it and the wire carries it: uppercase hex of the big-endian
/// octets, leading zero octets removed (<c>00</c> for zero), at most 20 octets (RFC 5280 §4.1.2.2). Unique across
/// both CAs. <c>default</c> is not a serial: use <see cref="TryParse"/> or <see cref="FromBigEndian"/>.
/// </summary>
public readonly record struct CertificateSerial
{
    private const int MaxOctets = 20;
    private readonly string? _hex;

    private CertificateSerial(string hex) => _hex = hex;

    /// <summary>The normalised hex form.</summary>
    /// <exception cref="InvalidOperationException">The value is <c>default</c>.</exception>
    public string Hex => _hex ?? throw new InvalidOperationException("default(CertificateSerial) is not a serial number.");

    /// <summary>The serial of big-endian <paramref name="octets"/> (a DER INTEGER's content, leading zeros dropped).</summary>
    /// <exception cref="ArgumentException">Empty, or more than 20 significant octets.</exception>
    public static CertificateSerial FromBigEndian(ReadOnlySpan<byte> octets)
    {
        if (octets.IsEmpty)
        {
            throw new ArgumentException("A serial number has at least one octet.", nameof(octets));
        }

        var hex = HexOf(octets);
        if (hex.Length > 2 * MaxOctets)
        {
            throw new ArgumentException("A serial number has at most 20 octets (RFC 5280 §4.1.2.2).", nameof(octets));
        }

        return new CertificateSerial(hex);
    }

    /// <summary>
    /// The normalised hex of any big-endian octets, without the 20-octet limit (<c>""</c> for none): for logging and
    /// matching what an outside party sent (an OCSP request may name any serial).
    /// </summary>
    public static string HexOf(ReadOnlySpan<byte> octets)
    {
        var start = 0;
        while (start < octets.Length - 1 && octets[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(octets[start..]);
    }

    /// <summary>
    /// Reads a serial as people and programs write it: any case, optional <c>0x</c>, optional <c>:</c> separators, odd
    /// length. False when it is empty, not hex, or longer than 20 octets.
    /// </summary>
    public static bool TryParse(string? text, out CertificateSerial serial)
    {
        serial = default;
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
        if (t.Length == 0 || t.Length > 2 * (MaxOctets + 1) || !t.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        if (t.Length % 2 == 1)
        {
            t = "0" + t;
        }

        var hex = HexOf(Convert.FromHexString(t));
        if (hex.Length > 2 * MaxOctets)
        {
            return false;
        }

        serial = new CertificateSerial(hex);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException">Not a serial number.</exception>
    public static CertificateSerial Parse(string text) =>
        TryParse(text, out var serial) ? serial : throw new FormatException("The serial number is not hexadecimal (at most 20 octets).");

    /// <summary>The big-endian octets as DER INTEGER content (a leading 00 added when the top bit is set).</summary>
    public byte[] ToIntegerContent()
    {
        var bytes = Convert.FromHexString(Hex);
        return bytes[0] >= 0x80 ? [0, .. bytes] : bytes;
    }

    /// <summary>The hex form.</summary>
    public override string ToString() => _hex ?? string.Empty;
}
