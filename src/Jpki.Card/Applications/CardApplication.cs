namespace Jpki.Card.Applications;

/// <summary>The card applications this emulator carries.</summary>
public enum CardApplication
{
    /// <summary>No application selected (after reset).</summary>
    None = 0,

    /// <summary>公的個人認証AP.</summary>
    Jpki = 1,

    /// <summary>券面事項入力補助AP.</summary>
    Text = 2,
}
