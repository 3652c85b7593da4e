using Jpki.Card.Issuer.Surface;

namespace Jpki.Card.Issuer;

/// <summary>What <see cref="DevelopmentIssuance"/> needs to issue the 券面 side of a card.</summary>
/// <param name="CardExpiry">The card's expiry date (printed; part of 照合番号B).</param>
/// <param name="SecurityCode">The 4-digit security code printed on the card face.</param>
/// <param name="Font">A bitmap font for the printed items; null leaves the visual AP un-issued.</param>
/// <param name="MunicipalityCode">The issuing municipality's 5-digit code.</param>
public sealed record DevelopmentSurface(DateOnly CardExpiry, string SecurityCode, BitmapFont? Font, string MunicipalityCode = "00000");
