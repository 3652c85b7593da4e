using Jpki.Core.Identity;

namespace Jpki.Card.Virtual;

/// <summary>What a new, un-issued virtual card is printed with.</summary>
/// <param name="CardNumber">The card's own number (ASCII letters and digits); also names its management key.</param>
/// <param name="HolderReference">An opaque reference to the holder in the municipality's records (not the My Number).</param>
/// <param name="Kind">My Number card or 住基 card.</param>
/// <param name="Expiry">The card's expiry date.</param>
public sealed record VirtualCardSpec(string CardNumber, string HolderReference, CardKind Kind, DateOnly Expiry);
