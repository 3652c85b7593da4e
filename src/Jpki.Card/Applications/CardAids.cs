namespace Jpki.Card.Applications;

/// <summary>The application identifiers (DF names) of the My Number card this emulator answers to (JPKI-REFERENCE §2.1).</summary>
public static class CardAids
{
    /// <summary>公的個人認証AP (JPKI-AP): <c>D3 92 F0 00 26 01 00 00 00 01</c>.</summary>
    public static ReadOnlySpan<byte> Jpki => [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

    /// <summary>券面事項入力補助AP (text AP): <c>D3 92 10 00 31 00 01 01 04 08</c>.</summary>
    public static ReadOnlySpan<byte> Text => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

    /// <summary>The contact ATR of a My Number card: <c>3B E0 00 FF 81 31 FE 45 14</c> (T=1, no historical bytes).</summary>
    public static ReadOnlySpan<byte> Atr => [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];
}
