namespace Jpki.Card.Applications;

/// <summary>The application identifiers (DF names) of the My Number card this emulator answers to (JPKI-REFERENCE §2.1).</summary>
public static class CardAids
{
    /// <summary>公的個人認証AP (JPKI-AP): <c>D3 92 F0 00 26 01 00 00 00 01</c>.</summary>
    public static ReadOnlySpan<byte> Jpki => [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

    /// <summary>券面事項入力補助AP (text AP): <c>D3 92 10 00 31 00 01 01 04 08</c>.</summary>
    public static ReadOnlySpan<byte> Text => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

    /// <summary>券面事項確認AP (visual AP): <c>D3 92 10 00 31 00 01 01 04 02</c>.</summary>
    public static ReadOnlySpan<byte> Visual => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];

    /// <summary>住基AP: <c>D3 92 10 00 31 00 01 01 04 01</c> (named by soltia48/myna-card, [R]).</summary>
    public static ReadOnlySpan<byte> Juki => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01];

    /// <summary>共通カードAP: <c>D3 92 10 00 31 00 01 01 01 00</c> (named by soltia48/myna-card, [R]).</summary>
    public static ReadOnlySpan<byte> Common => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00];

    /// <summary>
    /// The GlobalPlatform Issuer Security Domain's default AID <c>A0 00 00 01 51 00 00</c>: selecting it returns the card to
    /// its power-on (MF-level) state [R soltia48/myna-card <c>src/mf.rs</c>].
    /// </summary>
    public static ReadOnlySpan<byte> IssuerSecurityDomain => [0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00];

    /// <summary>The contact ATR of a My Number card: <c>3B E0 00 FF 81 31 FE 45 14</c> (T=1, no historical bytes).</summary>
    public static ReadOnlySpan<byte> Atr => [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];

    /// <summary>The DF name of <paramref name="application"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such application.</exception>
    public static ReadOnlySpan<byte> Of(CardApplication application) => application switch
    {
        CardApplication.Jpki => Jpki,
        CardApplication.Text => Text,
        CardApplication.Visual => Visual,
        CardApplication.Common => Common,
        CardApplication.Juki => Juki,
        _ => throw new ArgumentOutOfRangeException(nameof(application), application, "No such application."),
    };
}
