namespace Jpki.Card.Applications;

/// <summary>The card applications this emulator carries (JPKI-REFERENCE §2.1). Which of them a card has depends on its profile.</summary>
public enum CardApplication
{
    /// <summary>No application selected (after reset, or after selecting the GlobalPlatform Issuer Security Domain).</summary>
    None = 0,

    /// <summary>公的個人認証AP.</summary>
    Jpki = 1,

    /// <summary>券面事項入力補助AP (text AP).</summary>
    Text = 2,

    /// <summary>券面事項確認AP (visual AP, 券面AP).</summary>
    Visual = 3,

    /// <summary>共通カードAP (common AP).</summary>
    Common = 4,

    /// <summary>住基AP.</summary>
    Juki = 5,
}
