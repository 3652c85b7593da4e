namespace Jpki.Card.Applications;

/// <summary>
/// The algorithm of an on-card key EF. A card profile names it per key EF; key generation and signing dispatch on it.
/// Today's cards carry RSA-2048 only (JPKI-REFERENCE §3); the next-generation card's ECDSA P-384 (§14) plugs in here.
/// </summary>
public enum CardKeyAlgorithm
{
    /// <summary>RSA-2048, e = 65537, PKCS#1 v1.5 type-1 padding applied on the card.</summary>
    Rsa2048 = 1,
}
