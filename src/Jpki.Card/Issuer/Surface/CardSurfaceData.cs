using Jpki.Core.Identity;

namespace Jpki.Card.Issuer.Surface;

/// <summary>What is printed on the card and stored in its 券面 APs.</summary>
/// <param name="MyNumber">The 12-digit 個人番号 (also 照合番号A).</param>
/// <param name="Holder">The basic 4 info.</param>
/// <param name="CardExpiry">The card's expiry date (printed, and part of 照合番号B).</param>
/// <param name="SecurityCode">The 4-digit セキュリティコード printed on the card face (part of 照合番号B).</param>
/// <param name="MunicipalityCode">The issuing municipality's 5-digit code.</param>
public sealed record CardSurfaceData(string MyNumber, BasicFourInfo Holder, DateOnly CardExpiry, string SecurityCode, string MunicipalityCode = "00000");
