using Jpki.Card.Applications;
using Jpki.Core.Pins;
using static Jpki.Card.Applications.CardFiles;

namespace Jpki.Card.Profiles;

/// <summary>
/// The application layouts of today's cards. JPKI-AP per JPKI-REFERENCE §3 [C]; the 券面 APs, the common AP and the
/// 住基AP per soltia48/myna-card (<c>src/ap/text.rs</c>, <c>surface.rs</c>, <c>common.rs</c>, <c>juki.rs</c>,
/// <c>tests/fixtures/README.md</c>), read off a real test card [R].
/// </summary>
internal static class StandardLayouts
{
    private const CardKeyAlgorithm Rsa = CardKeyAlgorithm.Rsa2048;
    private const CardKeyAlgorithm Ec = CardKeyAlgorithm.EcdsaP384;

    /// <summary>The PUK of the next-generation card: 8 digits, 10 tries (ours [I]: only "an optional PUK" is public).</summary>
    public static PinRule NextGenerationPuk { get; } = PinRule.DigitCode("PUK (next-generation card, optional)", PukPolicy.Digits, PukPolicy.MaxTries);

    public static ApplicationLayout[] MyNumberCard() =>
        [Jpki(authCertificateNeedsPin: false), Text(), Visual(), Common(), Juki()];

    /// <summary>
    /// The 住基カード carries the 住基AP and the JPKI-AP (and, from 2009-04-20, a 券面事項確認AP whose layout is not public;
    /// not emulated).
    /// </summary>
    public static ApplicationLayout[] JukiCard() => [Jpki(authCertificateNeedsPin: false), Juki()];

    /// <summary>A smartphone token carries the JPKI-AP only; its auth certificate needs the auth PIN [C MYNA-GO cmd/jpki.go].</summary>
    public static ApplicationLayout[] SmartphoneToken() => [Jpki(authCertificateNeedsPin: true)];

    public static ApplicationLayout Jpki(bool authCertificateNeedsPin) => new(CardApplication.Jpki,
    [
        FileEntry.Transparent(SignCertificate, true, SignPin),
        FileEntry.Transparent(SignCaCertificate, true),
        FileEntry.Transparent(CardFiles.TokenInfo, false),
        FileEntry.Transparent(Availability, false),
        authCertificateNeedsPin ? FileEntry.Transparent(AuthCertificate, true, AuthPin) : FileEntry.Transparent(AuthCertificate, true),
        FileEntry.Transparent(AuthCaCertificate, true),
        FileEntry.KeyEf(AuthKey, Rsa, AuthPin),
        FileEntry.PinEf(AuthPin, PinRule.For(PinKind.AuthenticationPin, "利用者証明用電子証明書 PIN")),
        FileEntry.KeyEf(SignKey, Rsa, SignPin),
        FileEntry.PinEf(SignPin, PinRule.For(PinKind.SignaturePassword, "署名用電子証明書 password")),
    ]);

    public static ApplicationLayout Text() => new(CardApplication.Text,
    [
        FileEntry.Transparent(TextMyNumber, true, TextPin, TextCodeA),
        FileEntry.Transparent(TextBasicFour, true, TextPin, TextCodeB),
        FileEntry.Transparent(TextIntegrity, true, TextPin, TextCodeA, TextCodeB),
        FileEntry.Transparent(TextCertificate, true),
        FileEntry.Transparent(TextBasicInfo, true),
        FileEntry.Transparent(TextSignedPublicKey, true, TextPin, TextCodeA, TextCodeB),
        FileEntry.PinEf(TextPin, PinRule.For(PinKind.CardPin, "券面事項入力補助用暗証番号")),
        FileEntry.PinEf(TextBlocked, PinRule.IssuedBlocked("券面入力補助AP 0012 (blocked at issuance)")),
        FileEntry.KeyEf(TextSigningKey, Rsa),
        FileEntry.PinEf(TextCodeA, PinRule.DigitCode("照合番号A", 12, 10)),
        FileEntry.PinEf(TextCodeB, PinRule.DigitCode("照合番号B", 14, 10)),
    ], DefaultSigningKey: TextSigningKey);

    public static ApplicationLayout Visual() => new(CardApplication.Visual,
    [
        FileEntry.Transparent(VisualAgeRecord, true, VisualBirthDateKey),
        FileEntry.Transparent(VisualCardFace, true, VisualCodeA, VisualCodeB),
        FileEntry.Transparent(VisualBasicInfo, true),
        FileEntry.Transparent(VisualCertificate, true),
        FileEntry.Transparent(VisualMyNumberImage, true, VisualCodeA),
        FileEntry.PinEf(VisualBirthDateKey, PinRule.DigitCode("生年月日 (和暦 YYMMDD)", 6, 10)),
        FileEntry.PinEf(VisualCodeB, PinRule.DigitCode("照合番号B", 14, 10)),
        FileEntry.PinEf(VisualCodeA, PinRule.DigitCode("照合番号A", 12, 10)),
        FileEntry.KeyEf(VisualSigningKey, Rsa),
    ], DefaultSigningKey: VisualSigningKey);

    public static ApplicationLayout Common() => new(CardApplication.Common,
    [
        FileEntry.Record(CommonCardInfo, true),
        FileEntry.KeyEf(CommonAuthenticationKey, Rsa),
        FileEntry.PinEf(CommonPin, PinRule.For(PinKind.CardPin, "本人確認業務用暗証番号")),
    ], InternalAuthenticationKey: CommonAuthenticationKey, ChangeKeyPins: true);

    public static ApplicationLayout Juki() => new(CardApplication.Juki,
    [
        FileEntry.PinEf(JukiPin, PinRule.For(PinKind.CardPin, "住民基本台帳用暗証番号")),
    ], ChangeKeyPins: true);

    /// <summary>
    /// The next-generation card (JPKI-REFERENCE §14 [R]): two applications instead of four — 認証AP and 券面等AP — two PINs
    /// and an optional PUK, ECDSA P-384 keys. What is ours [I] (the card's file system is not public): the 認証AP is today's
    /// JPKI-AP (same AID and FIDs, so existing clients find it) carrying both key pairs and certificates; the 券面等AP is
    /// today's text AP; the holder's two PINs are the 4-digit PIN (auth PIN 0018, which the counter also sets on the
    /// 券面等AP's 0011, as today's 統合 PIN) and the signature password; the PUK is EF 001D of the 認証AP and unblocks both
    /// PINs there; the single 6-digit 照合番号 takes 照合番号A's reference 0014 and opens what 照合番号A/B opened.
    /// </summary>
    public static ApplicationLayout[] NextGenerationCard() => [NextGenerationAuthentication(), NextGenerationSurface()];

    private static ApplicationLayout NextGenerationAuthentication() => new(CardApplication.Jpki,
    [
        FileEntry.Transparent(SignCertificate, true, SignPin),
        FileEntry.Transparent(SignCaCertificate, true),
        FileEntry.Transparent(CardFiles.TokenInfo, false),
        FileEntry.Transparent(Availability, false),
        FileEntry.Transparent(AuthCertificate, true),
        FileEntry.Transparent(AuthCaCertificate, true),
        FileEntry.KeyEf(AuthKey, Ec, AuthPin),
        FileEntry.PinEf(AuthPin, PinRule.For(PinKind.AuthenticationPin, "利用者証明用電子証明書 PIN")),
        FileEntry.KeyEf(SignKey, Ec, SignPin),
        FileEntry.PinEf(SignPin, PinRule.For(PinKind.SignaturePassword, "署名用電子証明書 password")),
        FileEntry.PinEf(CardFiles.Puk, NextGenerationPuk),
    ], Puk: CardFiles.Puk);

    private static ApplicationLayout NextGenerationSurface() => new(CardApplication.Text,
    [
        FileEntry.Transparent(TextMyNumber, true, TextPin, TextCodeA),
        FileEntry.Transparent(TextBasicFour, true, TextPin, TextCodeA),
        FileEntry.Transparent(TextIntegrity, true, TextPin, TextCodeA),
        FileEntry.Transparent(TextCertificate, true),
        FileEntry.Transparent(TextBasicInfo, true),
        FileEntry.Transparent(TextSignedPublicKey, true, TextPin, TextCodeA),
        FileEntry.PinEf(TextPin, PinRule.For(PinKind.CardPin, "券面等AP PIN (the holder's 4-digit PIN)")),
        FileEntry.KeyEf(TextSigningKey, Ec),
        FileEntry.PinEf(TextCodeA, PinRule.DigitCode("照合番号 (6 digits)", 6, 10)),
    ], DefaultSigningKey: TextSigningKey);
}
