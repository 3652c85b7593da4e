using System.Globalization;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Core.Rules;

/// <summary>
/// The validity period of the two end-entity certificates (JPKI-REFERENCE §7 [C MUNI city.higashimurayama, JLIS]).
/// </summary>
/// <remarks>
/// A certificate issued on Japan date D expires at 23:59:59 JST (§6.2 "Validity encoding") on the earliest of:
/// the 5th birthday strictly after D — the 6th when issued as an early renewal, i.e. while the previous certificate
/// is still valid and inside its <see cref="RenewalWindow"/>; the card's expiry day; and, for the signature
/// certificate only, the expiry day of the holder's authentication certificate. Birthdays go through
/// <see cref="Birthdays.NthBirthdayAfter"/>, so the leap-day rule of <see cref="Birthdays.BirthdayIn"/> applies.
/// On a tie the birthday is named as the deciding bound, then the card, then the authentication certificate.
/// <para>
/// For the next-generation card (<see cref="CardGeneration.NextGeneration"/>, JPKI-REFERENCE §14 [R, Digital Agency
/// task force 2024-03-18: "certificates valid 10 years"]) the first bound is <b>ten years from the issuance day</b>
/// instead of a birthday: the expiry day is the same day ten years later (29 February → 28 February), our reading of
/// 民法140条/143条 (the issuance day is not counted, the period ends on the day before the day that corresponds to its
/// first day) [I]; the card and authentication-certificate caps stay. There is no early-renewal bonus (the source says
/// only that renewal opens one year before expiry, <see cref="RenewalWindow"/>), so a renewal inside the window is an
/// ordinary issuance of ten years [I].
/// </para>
/// </remarks>
public static class CertificateValidity
{
    /// <summary>Birthdays counted for a first issuance or a renewal outside the window.</summary>
    public const int StandardBirthdays = 5;

    /// <summary>Birthdays counted for an early renewal.</summary>
    public const int EarlyRenewalBirthdays = 6;

    /// <summary>Years of validity of a next-generation card's certificate (JPKI-REFERENCE §14 [R]).</summary>
    public const int NextGenerationYears = 10;

    /// <summary>Refusal code: the card has expired on the issuance day.</summary>
    public const string CardExpiredCode = "card-expired";

    /// <summary>Refusal code: the authentication certificate that caps a signature certificate has expired on the issuance day.</summary>
    public const string AuthCertificateExpiredCode = "auth-certificate-expired";

    /// <summary>
    /// True when a certificate issued on <paramref name="issuedOn"/> counts as an early renewal of a previous
    /// certificate expiring on <paramref name="previousExpiry"/>: that certificate is still valid and inside its
    /// renewal window on that day (JPKI-REFERENCE §7 "If renewed while less than 3 months remain").
    /// </summary>
    public static bool IsEarlyRenewal(DateOnly issuedOn, DateOnly? previousExpiry)
        => IsEarlyRenewal(issuedOn, previousExpiry, CardGeneration.Current);

    /// <summary>
    /// As <see cref="IsEarlyRenewal(DateOnly, DateOnly?)"/> for a card of <paramref name="generation"/>: always false for
    /// the next-generation card, whose certificates have no early-renewal bonus.
    /// </summary>
    public static bool IsEarlyRenewal(DateOnly issuedOn, DateOnly? previousExpiry, CardGeneration generation)
        => generation == CardGeneration.Current && previousExpiry is { } expiry && RenewalWindow.For(expiry).Contains(issuedOn);

    /// <summary>Computes the expiry of a certificate issued at <paramref name="issuedAt"/>, taking its Japan date.</summary>
    /// <inheritdoc cref="Compute(CertificateKind, DateOnly, DateOnly, DateOnly?, DateOnly?, DateOnly?, CardGeneration)"/>
    public static RuleOutcome<CertificateExpiry> Compute(
        CertificateKind kind,
        DateOnly dateOfBirth,
        DateTimeOffset issuedAt,
        DateOnly? cardExpiry,
        DateOnly? authenticationExpiry = null,
        DateOnly? previousExpiry = null,
        CardGeneration generation = CardGeneration.Current)
        => Compute(kind, dateOfBirth, JapanTime.ToJapanDate(issuedAt), cardExpiry, authenticationExpiry, previousExpiry, generation);

    /// <summary>
    /// Computes the expiry of a <paramref name="kind"/> certificate issued on Japan date <paramref name="issuedOn"/>
    /// to a holder born on <paramref name="dateOfBirth"/>.
    /// </summary>
    /// <param name="kind">Which certificate.</param>
    /// <param name="dateOfBirth">The holder's date of birth.</param>
    /// <param name="issuedOn">Japan date of issuance.</param>
    /// <param name="cardExpiry">The expiry day of the card, or null to leave the card out (e.g. a what-if question).</param>
    /// <param name="authenticationExpiry">For a signature certificate: the expiry day of the holder's authentication certificate, when one exists.</param>
    /// <param name="previousExpiry">The expiry day of the certificate being replaced, if any; decides early renewal.</param>
    /// <param name="generation">The card's generation (default today's card): birthdays, or ten years for the next generation.</param>
    /// <returns>The expiry, or a refusal <c>card-expired</c> / <c>auth-certificate-expired</c> when a cap lies before the issuance day.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="issuedOn"/> is before the birth, or <paramref name="kind"/> or <paramref name="generation"/> is unknown.</exception>
    /// <exception cref="ArgumentException"><paramref name="authenticationExpiry"/> is given for an authentication certificate.</exception>
    public static RuleOutcome<CertificateExpiry> Compute(
        CertificateKind kind,
        DateOnly dateOfBirth,
        DateOnly issuedOn,
        DateOnly? cardExpiry,
        DateOnly? authenticationExpiry = null,
        DateOnly? previousExpiry = null,
        CardGeneration generation = CardGeneration.Current)
    {
        if (kind is not (CertificateKind.Signature or CertificateKind.Authentication))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown certificate kind.");
        }

        if (generation is not (CardGeneration.Current or CardGeneration.NextGeneration))
        {
            throw new ArgumentOutOfRangeException(nameof(generation), generation, "Unknown card generation.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(issuedOn, dateOfBirth);
        if (kind == CertificateKind.Authentication && authenticationExpiry is not null)
        {
            throw new ArgumentException("Only a signature certificate is capped by the authentication certificate.", nameof(authenticationExpiry));
        }

        if (cardExpiry is { } card && card < issuedOn)
        {
            return RuleOutcome<CertificateExpiry>.Refuse(
                CardExpiredCode,
                string.Create(CultureInfo.InvariantCulture, $"The card expired on {card:yyyy-MM-dd}, before the issuance day {issuedOn:yyyy-MM-dd}; no certificate can be written to it."));
        }

        if (authenticationExpiry is { } auth && auth < issuedOn)
        {
            return RuleOutcome<CertificateExpiry>.Refuse(
                AuthCertificateExpiredCode,
                string.Create(CultureInfo.InvariantCulture, $"The authentication certificate expired on {auth:yyyy-MM-dd}, before the issuance day {issuedOn:yyyy-MM-dd}; issue or renew it together with the signature certificate."));
        }

        var early = IsEarlyRenewal(issuedOn, previousExpiry, generation);
        DateOnly expiresOn;
        ExpiryBound bound;
        if (generation == CardGeneration.NextGeneration)
        {
            expiresOn = issuedOn.AddYears(NextGenerationYears);
            bound = ExpiryBound.TenYears;
        }
        else
        {
            expiresOn = Birthdays.NthBirthdayAfter(dateOfBirth, issuedOn, early ? EarlyRenewalBirthdays : StandardBirthdays);
            bound = early ? ExpiryBound.SixthBirthday : ExpiryBound.FifthBirthday;
        }

        if (cardExpiry is { } cardCap && cardCap < expiresOn)
        {
            expiresOn = cardCap;
            bound = ExpiryBound.Card;
        }

        if (authenticationExpiry is { } authCap && authCap < expiresOn)
        {
            expiresOn = authCap;
            bound = ExpiryBound.AuthenticationCertificate;
        }

        return RuleOutcome<CertificateExpiry>.Allow(
            new CertificateExpiry(kind, issuedOn, expiresOn, JapanTime.EndOfDay(expiresOn), bound, early) { Generation = generation });
    }
}
