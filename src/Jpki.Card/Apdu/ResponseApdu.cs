namespace Jpki.Card.Apdu;

/// <summary>A response APDU: data followed by the two status bytes.</summary>
/// <param name="Data">Response data (may be empty).</param>
/// <param name="StatusWord">SW1 SW2 as one number, e.g. 0x9000.</param>
public readonly record struct ResponseApdu(ReadOnlyMemory<byte> Data, ushort StatusWord)
{
    /// <summary>SW1.</summary>
    public byte Sw1 => (byte)(StatusWord >> 8);

    /// <summary>SW2.</summary>
    public byte Sw2 => (byte)(StatusWord & 0xFF);

    /// <summary>True for 90 00.</summary>
    public bool IsSuccess => StatusWord == StatusWords.Success;

    /// <summary>A response with no data.</summary>
    public static ResponseApdu Status(ushort statusWord) => new(ReadOnlyMemory<byte>.Empty, statusWord);

    /// <summary>A 90 00 response carrying <paramref name="data"/>.</summary>
    public static ResponseApdu Ok(ReadOnlyMemory<byte> data) => new(data, StatusWords.Success);

    /// <summary>Parses raw response bytes (at least SW1 SW2).</summary>
    /// <returns>False when fewer than two bytes were given.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ResponseApdu response)
    {
        if (bytes.Length < 2)
        {
            response = default;
            return false;
        }

        var sw = (ushort)((bytes[^2] << 8) | bytes[^1]);
        response = new ResponseApdu(bytes[..^2].ToArray(), sw);
        return true;
    }

    /// <summary>Data followed by SW1 SW2.</summary>
    public byte[] ToArray()
    {
        var buffer = new byte[Data.Length + 2];
        Data.Span.CopyTo(buffer);
        buffer[^2] = Sw1;
        buffer[^1] = Sw2;
        return buffer;
    }
}
