namespace Jpki.Card.Applications;

/// <summary>
/// File identifiers of the JPKI-AP, the text AP, the visual AP, the common AP and the 住基AP (JPKI-REFERENCE §3 and §12;
/// the 券面 APs, common AP and 住基AP as soltia48/myna-card reports them from a real test card, [R]).
/// </summary>
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

    /// <summary>JPKI-AP (認証AP) of the next-generation profile: the PUK's key reference (ours: FID not public).</summary>
    public const ushort Puk = 0x001D;

    /// <summary>Text AP 0001: 個人番号 (My Number), TLV + FF filler; READ needs the card PIN.</summary>
    public const ushort TextMyNumber = 0x0001;

    /// <summary>Text AP 0002: 基本4情報 (basic 4 info) TLV; READ needs the card PIN.</summary>
    public const ushort TextBasicFour = 0x0002;

    /// <summary>Text AP 0011: the card PIN (券面事項入力補助用 PIN, 4 digits, 3 tries).</summary>
    public const ushort TextPin = 0x0011;

    /// <summary>Text AP 0003: integrity record (SHA-256 of EF 0001 and of EF 0002 after its offset table, signed).</summary>
    public const ushort TextIntegrity = 0x0003;

    /// <summary>Text AP 0004: the AP's card-verifiable certificate (tag 7F21, 568 bytes); free to read.</summary>
    public const ushort TextCertificate = 0x0004;

    /// <summary>Text AP 0005: AP basic information (tag FF40); free to read.</summary>
    public const ushort TextBasicInfo = 0x0005;

    /// <summary>Text AP 0007: the public half of the AP's signing key with the issuer's signature (tag FF50).</summary>
    public const ushort TextSignedPublicKey = 0x0007;

    /// <summary>Text AP 0012: a key reference every card is issued with blocked (63 C0 / 69 84) [R MC].</summary>
    public const ushort TextBlocked = 0x0012;

    /// <summary>Text AP 0013: the AP's own signing key (answers <c>80 2A 00 00</c> with no credential).</summary>
    public const ushort TextSigningKey = 0x0013;

    /// <summary>Text AP 0014: 照合番号A (the 12-digit My Number), 10 tries.</summary>
    public const ushort TextCodeA = 0x0014;

    /// <summary>Text AP 0015: 照合番号B (era-year DOB YYMMDD + expiry year + 4-digit security code, 14 digits), 10 tries.</summary>
    public const ushort TextCodeB = 0x0015;

    /// <summary>Visual AP 0001: age record (DOB, the card's public key, signature); opened by the DOB key 0011.</summary>
    public const ushort VisualAgeRecord = 0x0001;

    /// <summary>Visual AP 0002: card face (tag FF20 with offset table; printed items, images, photo, signature).</summary>
    public const ushort VisualCardFace = 0x0002;

    /// <summary>Visual AP 0003: AP basic information (tag FF30); free to read.</summary>
    public const ushort VisualBasicInfo = 0x0003;

    /// <summary>Visual AP 0004: the AP's card-verifiable certificate; free to read.</summary>
    public const ushort VisualCertificate = 0x0004;

    /// <summary>Visual AP 0005: the rendered My Number (tag FF40); opened by 照合番号A only.</summary>
    public const ushort VisualMyNumberImage = 0x0005;

    /// <summary>Visual AP 0011: the date-of-birth key (era-year YYMMDD, 6 digits).</summary>
    public const ushort VisualBirthDateKey = 0x0011;

    /// <summary>Visual AP 0012: 照合番号B.</summary>
    public const ushort VisualCodeB = 0x0012;

    /// <summary>Visual AP 0013: 照合番号A.</summary>
    public const ushort VisualCodeA = 0x0013;

    /// <summary>Visual AP 001A: the AP's own signing key (answers <c>80 2A 00 00</c> with no credential).</summary>
    public const ushort VisualSigningKey = 0x001A;

    /// <summary>Common AP 0001: card information record <c>01 1C</c> serial(15) municipality(5) expiry(8).</summary>
    public const ushort CommonCardInfo = 0x0001;

    /// <summary>Common AP 0019: the key answering INTERNAL AUTHENTICATE with no credential.</summary>
    public const ushort CommonAuthenticationKey = 0x0019;

    /// <summary>Common AP 001C: the 4-digit PIN of the 本人確認業務用領域 (changed with CHANGE KEY <c>80 32</c>).</summary>
    public const ushort CommonPin = 0x001C;

    /// <summary>住基AP 001C: the 住民基本台帳用 4-digit PIN (changed with CHANGE KEY <c>80 32</c>).</summary>
    public const ushort JukiPin = 0x001C;
}
