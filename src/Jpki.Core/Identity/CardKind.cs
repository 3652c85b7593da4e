namespace Jpki.Core.Identity;

/// <summary>The card a certificate is stored on.</summary>
public enum CardKind
{
    /// <summary>個人番号カード (My Number card), issued from 2016-01-01.</summary>
    MyNumberCard = 1,

    /// <summary>住民基本台帳カード: no new JPKI issuance from 2016-01-01; existing certificates run to their expiry.</summary>
    JukiCard = 2,
}
