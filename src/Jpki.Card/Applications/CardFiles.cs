namespace Jpki.Card.Applications;

/// <summary>File identifiers of the JPKI-AP and the text AP (JPKI-REFERENCE §3 and §12).</summary>
public static class CardFiles
{
    /// <summary>JPKI-AP 0001: 署名用証明書 (signature certificate); READ needs the signature password.</summary>
    public const ushort SignCertificate = 0x0001;

    /// <summary>JPKI-AP 0002: 署名用CA証明書.</summary>
    public const ushort SignCaCertificate = 0x0002;

    /// <summary>JPKI-AP 0006: token info (160 bytes, <c>JPKIAPICCTOKEN2</c>).</summary>
    public const ushort TokenInfo = 0x0006;

    /// <summary>JPKI-AP 0008: certificate availability (3 bytes).</summary>
    public const ushort Availability = 0x0008;

    /// <summary>JPKI-AP 000A: 利用者証明用証明書 (authentication certificate).</summary>
    public const ushort AuthCertificate = 0x000A;

    /// <summary>JPKI-AP 000B: 利用者証明用CA証明書.</summary>
    public const ushort AuthCaCertificate = 0x000B;

    /// <summary>JPKI-AP 0017: authentication private key.</summary>
    public const ushort AuthKey = 0x0017;

    /// <summary>JPKI-AP 0018: authentication PIN (4 digits, 3 tries).</summary>
    public const ushort AuthPin = 0x0018;

    /// <summary>JPKI-AP 001A: signature private key.</summary>
    public const ushort SignKey = 0x001A;

    /// <summary>JPKI-AP 001B: signature password (6–16 of A–Z 0–9, 5 tries).</summary>
    public const ushort SignPin = 0x001B;

    /// <summary>Text AP 0001: 個人番号 (My Number), TLV + FF filler; READ needs the card PIN.</summary>
    public const ushort TextMyNumber = 0x0001;

    /// <summary>Text AP 0002: 基本4情報 (basic 4 info) TLV; READ needs the card PIN.</summary>
    public const ushort TextBasicFour = 0x0002;

    /// <summary>Text AP 0011: the card PIN (券面事項入力補助用 PIN, 4 digits, 3 tries).</summary>
    public const ushort TextPin = 0x0011;
}
