using System.Buffers.Binary;
using System.Text;

namespace Jpki.Card.Applications;

/// <summary>
/// EF 0006 of the JPKI-AP: a PKCS#11 <c>CK_TOKEN_INFO</c> with every <c>CK_ULONG</c> as 4 big-endian bytes, 160 bytes in
/// all (JPKI-REFERENCE §3.1). The label <c>JPKIAPICCTOKEN2</c> marks a plastic My Number card.
/// </summary>
public static class TokenInfo
{
    /// <summary>Size of the EF.</summary>
    public const int Length = 160;

    /// <summary>The label of a plastic My Number card.</summary>
    public const string CardLabel = "JPKIAPICCTOKEN2";

    /// <summary>
    /// Builds the EF for a card. Manufacturer and flags follow the values reported for real cards; the model reads
    /// <c>OPENJPKI</c> so that software can tell the emulator apart; the serial is the card number's last 16 characters.
    /// </summary>
    /// <param name="cardNumber">The card number (ASCII).</param>
    /// <param name="label">The token label: <see cref="CardLabel"/> for a My Number card, <c>JPKIAPICCTOKEN</c> for a 住基
    /// card, <c>JPKIAPGPSETOKEN</c> / <c>JPKIAPIOSTOKEN</c> for smartphone tokens (JPKI-REFERENCE §3.1).</param>
    public static byte[] Build(string cardNumber, string label = CardLabel)
    {
        ArgumentNullException.ThrowIfNull(cardNumber);
        ArgumentNullException.ThrowIfNull(label);
        var ef = new byte[Length];
        Text(ef.AsSpan(0, 32), label);
        Text(ef.AsSpan(32, 32), "00000000000000000000000000000001");
        Text(ef.AsSpan(64, 16), "OPENJPKI");
        var serial = cardNumber.Length > 16 ? cardNumber[^16..] : cardNumber.PadLeft(16, '0');
        Text(ef.AsSpan(80, 16), serial);
        BinaryPrimitives.WriteUInt32BigEndian(ef.AsSpan(96), 0x0000040D); // RNG | LOGIN_REQUIRED | USER_PIN_INITIALIZED | TOKEN_INITIALIZED
        BinaryPrimitives.WriteUInt32BigEndian(ef.AsSpan(100), 1);
        BinaryPrimitives.WriteUInt32BigEndian(ef.AsSpan(104), 0);
        BinaryPrimitives.WriteUInt32BigEndian(ef.AsSpan(108), 1);
        BinaryPrimitives.WriteUInt32BigEndian(ef.AsSpan(112), 0);
        BinaryPrimitives.WriteUInt32BigEndian(ef.AsSpan(116), 16);
        BinaryPrimitives.WriteUInt32BigEndian(ef.AsSpan(120), 6);
        ef.AsSpan(124, 16).Fill(0xFF);
        Text(ef.AsSpan(140, 2), "03");
        Text(ef.AsSpan(142, 2), "01");
        Text(ef.AsSpan(144, 16), "");
        return ef;
    }

    /// <summary>The label (first 32 bytes, trailing spaces removed) of a token-info EF.</summary>
    public static string ReadLabel(ReadOnlySpan<byte> ef) => Field(ef, 0, 32);

    /// <summary>The serial number (bytes 80–95, trimmed) of a token-info EF.</summary>
    public static string ReadSerial(ReadOnlySpan<byte> ef) => Field(ef, 80, 16);

    private static string Field(ReadOnlySpan<byte> ef, int offset, int length) =>
        ef.Length < offset + length ? "" : Encoding.ASCII.GetString(ef.Slice(offset, length)).TrimEnd(' ', '\0');

    private static void Text(Span<byte> field, string value)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(value.AsSpan(0, Math.Min(value.Length, field.Length)), field);
    }
}
