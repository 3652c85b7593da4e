using Jpki.Core.Identity;

namespace Jpki.Municipality.Issuance;

/// <summary>What the card says about itself.</summary>
/// <param name="CardId">Card number.</param>
/// <param name="Kind">Card kind.</param>
/// <param name="ExpiresOn">Last valid day.</param>
public sealed record CardInfo(string CardId, CardKind Kind, DateOnly ExpiresOn);
