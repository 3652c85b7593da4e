using System.Globalization;
using Jpki.Core.Identity;

namespace Jpki.Core.Rules;

/// <summary>
/// The issuance fee of a certificate (JPKI-REFERENCE §10 "Issuance and renewal are free" [C MUNI]): free when the
/// certificate goes onto a My Number card within the card's validity; otherwise the standard fee of 200 yen
/// (issuance onto a 住民基本台帳カード, or outside the card's validity).
/// </summary>
public static class Fees
{
    /// <summary>The fee in yen when issuance is not free.</summary>
    public const int StandardYen = 200;

    /// <summary>The fee for issuing a certificate onto <paramref name="card"/> on Japan date <paramref name="issuedOn"/>.</summary>
    /// <param name="card">The card the certificate goes onto.</param>
    /// <param name="issuedOn">Japan date of issuance.</param>
    /// <param name="cardExpiry">The card's expiry day.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unknown card kind.</exception>
    public static CertificateFee For(CardKind card, DateOnly issuedOn, DateOnly cardExpiry) => card switch
    {
        CardKind.JukiCard => new CertificateFee(StandardYen, "juki-card", $"{StandardYen} yen: certificates on a 住民基本台帳カード are charged."),
        CardKind.MyNumberCard when issuedOn <= cardExpiry => new CertificateFee(0, "free-my-number-card", "Free: issuance and renewal onto a valid My Number card cost nothing."),
        CardKind.MyNumberCard => new CertificateFee(
            StandardYen,
            "outside-card-validity",
            string.Create(CultureInfo.InvariantCulture, $"{StandardYen} yen: the My Number card expired on {cardExpiry:yyyy-MM-dd}, so the issuance is outside its validity.")),
        _ => throw new ArgumentOutOfRangeException(nameof(card), card, "Unknown card kind."),
    };
}
