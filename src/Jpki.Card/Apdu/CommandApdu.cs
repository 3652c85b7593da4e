namespace Jpki.Card.Apdu;

/// <summary>
/// A short command APDU (ISO/IEC 7816-4 cases 1–4). The JPKI application speaks short APDUs only
/// (JPKI-REFERENCE §4); extended-length encodings are treated as malformed.
/// </summary>
public readonly struct CommandApdu
{
    private CommandApdu(byte cla, byte ins, byte p1, byte p2, ReadOnlyMemory<byte> data, int? le)
    {
        Cla = cla;
        Ins = ins;
        P1 = p1;
        P2 = p2;
        Data = data;
        Le = le;
    }

    /// <summary>Class byte.</summary>
    public byte Cla { get; }

    /// <summary>Instruction byte.</summary>
    public byte Ins { get; }

    /// <summary>Parameter 1.</summary>
    public byte P1 { get; }

    /// <summary>Parameter 2.</summary>
    public byte P2 { get; }

    /// <summary>Command data (empty for cases 1 and 2).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Expected response length (1–256; a coded 00 means 256), or null when absent (cases 1 and 3).</summary>
    public int? Le { get; }

    /// <summary>
    /// Parses a short command APDU. Returns false (never throws) for anything that is not exactly one of the four short
    /// cases: fewer than 4 bytes, an Lc that disagrees with the length, or an extended-length encoding.
    /// </summary>
    /// <param name="bytes">The raw APDU.</param>
    /// <param name="apdu">The parsed command; the data is copied, so the caller may reuse <paramref name="bytes"/>.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out CommandApdu apdu)
    {
        apdu = default;
        if (bytes.Length < 4)
        {
            return false;
        }

        byte cla = bytes[0], ins = bytes[1], p1 = bytes[2], p2 = bytes[3];
        if (bytes.Length == 4)
        {
            apdu = new CommandApdu(cla, ins, p1, p2, ReadOnlyMemory<byte>.Empty, null);
            return true;
        }

        int b4 = bytes[4];
        if (bytes.Length == 5)
        {
            apdu = new CommandApdu(cla, ins, p1, p2, ReadOnlyMemory<byte>.Empty, b4 == 0 ? 256 : b4);
            return true;
        }

        if (b4 == 0)
        {
            return false; // extended length (or a bogus Lc of zero)
        }

        var data = bytes.Slice(5);
        if (data.Length == b4)
        {
            apdu = new CommandApdu(cla, ins, p1, p2, data.ToArray(), null);
            return true;
        }

        if (data.Length == b4 + 1)
        {
            int le = data[b4];
            apdu = new CommandApdu(cla, ins, p1, p2, data.Slice(0, b4).ToArray(), le == 0 ? 256 : le);
            return true;
        }

        return false;
    }

    /// <summary>Encodes a short command APDU.</summary>
    /// <param name="cla">Class.</param>
    /// <param name="ins">Instruction.</param>
    /// <param name="p1">Parameter 1.</param>
    /// <param name="p2">Parameter 2.</param>
    /// <param name="data">Command data, at most 255 bytes.</param>
    /// <param name="le">Expected length 1–256, or null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">Data longer than 255 bytes or Le outside 1–256.</exception>
    public static byte[] Encode(byte cla, byte ins, byte p1, byte p2, ReadOnlySpan<byte> data = default, int? le = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, 255, nameof(data));
        if (le is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(le), le, "Le must be 1–256.");
        }

        var length = 4 + (data.IsEmpty ? 0 : 1 + data.Length) + (le is null ? 0 : 1);
        var buffer = new byte[length];
        buffer[0] = cla;
        buffer[1] = ins;
        buffer[2] = p1;
        buffer[3] = p2;
        var at = 4;
        if (!data.IsEmpty)
        {
            buffer[at++] = (byte)data.Length;
            data.CopyTo(buffer.AsSpan(at));
            at += data.Length;
        }

        if (le is { } l)
        {
            buffer[at] = (byte)(l & 0xFF);
        }

        return buffer;
    }
}
