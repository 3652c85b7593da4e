using Jpki.Core.Identity;

namespace Jpki.Municipality.Issuance;

/// <summary>What the card says about itself.</summary>
/// <param name="CardId">Card number.</param>
/// <param name="Kind">Card kind.</param>
/// <param name="ExpiresOn">Last valid day.</param>
/// <param name="CardPinSet">
/// Whether the card PIN (券面事項入力補助用) has a value: false for a sandbox card straight from <c>jpki card new</c>
/// (the clerk sets it first, with a PIN reset); null when the card cannot tell before a VERIFY (a card in a reader).
/// </param>
public sealed record CardInfo(string CardId, CardKind Kind, DateOnly ExpiresOn, bool? CardPinSet = null)
{
    /// <summary>
    /// Which generation of card it is (default today's): the next-generation card's certificates are valid ten years and
    /// renewable from one year before expiry (<c>Jpki.Core.Rules</c>, JPKI-REFERENCE §14). From the card file's profile
    /// for a virtual card, from the ATR for a card in a reader.
    /// </summary>
    public CardGeneration Generation { get; init; }
}
