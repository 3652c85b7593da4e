namespace Jpki.Card.Applications;

/// <summary>
/// The algorithm of an on-card key EF. A card profile names it per key EF; key generation and signing dispatch on it.
/// Today's cards carry RSA-2048 (JPKI-REFERENCE §3 [C]); the next-generation card ECDSA P-384 (§14 [R]).
/// </summary>
public enum CardKeyAlgorithm
{
    /// <summary>RSA-2048, e = 65537, PKCS#1 v1.5 type-1 padding applied on the card.</summary>
    Rsa2048 = 1,

    /// <summary>ECDSA on NIST P-384 (secp384r1): the card signs a host-computed hash and answers r‖s (see <see cref="CardEcKey"/>).</summary>
    EcdsaP384 = 2,
}
