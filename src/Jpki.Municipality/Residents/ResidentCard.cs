using Jpki.Core.Identity;

namespace Jpki.Municipality.Residents;

/// <summary>A card registered to a resident (the card number printed on it and read from it).</summary>
/// <param name="CardId">Card number.</param>
/// <param name="HolderId">The resident it belongs to.</param>
/// <param name="Kind">My Number card or 住基カード.</param>
/// <param name="ExpiresOn">The card's last valid day.</param>
/// <param name="Status">Active, lost or returned.</param>
public sealed record ResidentCard(string CardId, string HolderId, CardKind Kind, DateOnly ExpiresOn, CardStatus Status = CardStatus.Active);
