using System.Globalization;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Core.Rules;

/// <summary>
/// Who may be issued which certificate onto which card (JPKI-REFERENCE §5 [C MUNI town.shimogo, town.aikawa] and the
/// end of 住基カード issuance, <see cref="CardKind.JukiCard"/>).
/// </summary>
/// <remarks>
/// Refusal codes: <c>juki-card-issuance-ended</c> (new issuance onto a 住基カード on or after 2016-01-01; certificates
/// already on such cards stay valid to their expiry), <c>sign-under-15</c> (the holder is under 15 on the issuance
/// day), <c>sign-under-guardianship</c> (an adult under guardianship, 成年被後見人). The authentication certificate is
/// allowed in the last two cases. The card is checked first, then the age, then guardianship.
/// </remarks>
public static class Eligibility
{
    /// <summary>The youngest age at which a signature certificate is issued.</summary>
    public const int SignatureMinimumAge = 15;

    /// <summary>Refusal code: new issuance onto a 住基カード after it ended.</summary>
    public const string JukiCardIssuanceEndedCode = "juki-card-issuance-ended";

    /// <summary>Refusal code: signature certificate for a holder under 15.</summary>
    public const string SignUnder15Code = "sign-under-15";

    /// <summary>Refusal code: signature certificate for an adult under guardianship.</summary>
    public const string SignUnderGuardianshipCode = "sign-under-guardianship";

    /// <summary>The first day on which no new certificate is issued onto a 住基カード (My Number cards from this day).</summary>
    public static readonly DateOnly JukiCardIssuanceEndedOn = new(2016, 1, 1);

    /// <summary>
    /// Whether a new <paramref name="kind"/> certificate may be issued on Japan date <paramref name="issuedOn"/> onto
    /// a <paramref name="card"/> for a holder born on <paramref name="dateOfBirth"/>. Allowed: the kind itself.
    /// </summary>
    /// <param name="kind">Which certificate.</param>
    /// <param name="card">The card it would be written to.</param>
    /// <param name="dateOfBirth">The holder's date of birth.</param>
    /// <param name="issuedOn">Japan date of issuance.</param>
    /// <param name="underGuardianship">True for an adult under guardianship (成年被後見人).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="issuedOn"/> is before the birth, or an unknown kind or card.</exception>
    public static RuleOutcome<CertificateKind> Check(
        CertificateKind kind,
        CardKind card,
        DateOnly dateOfBirth,
        DateOnly issuedOn,
        bool underGuardianship)
    {
        if (kind is not (CertificateKind.Signature or CertificateKind.Authentication))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown certificate kind.");
        }

        if (card is not (CardKind.MyNumberCard or CardKind.JukiCard))
        {
            throw new ArgumentOutOfRangeException(nameof(card), card, "Unknown card kind.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(issuedOn, dateOfBirth);

        if (card == CardKind.JukiCard && issuedOn >= JukiCardIssuanceEndedOn)
        {
            return RuleOutcome<CertificateKind>.Refuse(
                JukiCardIssuanceEndedCode,
                "New certificates can no longer be issued onto a 住民基本台帳カード: issuance ended on 2015-12-31. Certificates already on the card stay valid until they expire. Please apply for a My Number card.");
        }

        if (kind == CertificateKind.Signature)
        {
            var age = Birthdays.AgeOn(dateOfBirth, issuedOn);
            if (age < SignatureMinimumAge)
            {
                var from = Birthdays.BirthdayIn(dateOfBirth, checked(dateOfBirth.Year + SignatureMinimumAge));
                return RuleOutcome<CertificateKind>.Refuse(
                    SignUnder15Code,
                    string.Create(CultureInfo.InvariantCulture, $"A signature certificate cannot be issued to a holder under {SignatureMinimumAge}; the holder is {age} on {issuedOn:yyyy-MM-dd} and can have one from {from:yyyy-MM-dd}. The authentication certificate can be issued."));
            }

            if (underGuardianship)
            {
                return RuleOutcome<CertificateKind>.Refuse(
                    SignUnderGuardianshipCode,
                    "A signature certificate cannot be issued to an adult under guardianship (成年被後見人). The authentication certificate can be issued.");
            }
        }

        return RuleOutcome<CertificateKind>.Allow(kind);
    }
}
