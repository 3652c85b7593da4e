namespace Jpki.Core.Identity;

/// <summary>
/// Which generation of card the rules are applied for: today's card (RSA-2048, the rules of JPKI-REFERENCE §7) or the
/// next-generation card (ECDSA P-384, the rules of the Digital Agency task force, JPKI-REFERENCE §14 [R]). A card's
/// profile decides it (<c>jpki card new --profile nextgen</c>), as does the key of a certificate issued for it.
/// </summary>
public enum CardGeneration
{
    /// <summary>Today's My Number card and 住基カード, and the smartphone tokens: the default.</summary>
    Current = 0,

    /// <summary>The next-generation My Number card (JPKI-REFERENCE §14).</summary>
    NextGeneration = 1,
}
