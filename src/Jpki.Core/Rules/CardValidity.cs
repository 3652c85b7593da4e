using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Core.Rules;

/// <summary>
/// The validity of a My Number card (JPKI-REFERENCE §7 "Card validity" [C MUNI city.minato, city.kounosu,
/// help.city.kobe]): an applicant aged 18 or over on the application date gets a card valid to the 10th birthday
/// strictly after the card's issuance by J-LIS; a younger applicant to the 5th. The threshold was 20 for
/// applications before 2022-04-01 (the lowering of the age of majority).
/// </summary>
/// <remarks>
/// Ages use <see cref="Birthdays.AgeOn"/> (a person turns N at the start of the birthday) and the expiry uses
/// <see cref="Birthdays.NthBirthdayAfter"/>, so the leap-day rule applies. Not modelled: foreign residents whose card
/// ends with their period of stay (JPKI-REFERENCE §7).
/// <para>
/// The next-generation card (<see cref="CardGeneration.NextGeneration"/>) lasts to the 10th birthday <b>plus one
/// month</b> (JPKI-REFERENCE §14 [R, Digital Agency task force 2024-03-18]), the month added with
/// <see cref="DateOnly.AddMonths"/> (a birthday on 31 January ends on the last day of February). §14 speaks of adults
/// only; we keep the 5th birthday for minors and add the month to it too [I].
/// </para>
/// </remarks>
public static class CardValidity
{
    /// <summary>The adult age for applications from <see cref="AdultAge18From"/>.</summary>
    public const int AdultAge = 18;

    /// <summary>The adult age for applications before <see cref="AdultAge18From"/>.</summary>
    public const int FormerAdultAge = 20;

    /// <summary>Birthdays counted for an adult applicant.</summary>
    public const int AdultBirthdays = 10;

    /// <summary>Birthdays counted for a minor applicant.</summary>
    public const int MinorBirthdays = 5;

    /// <summary>Months added to the counted birthday for the next-generation card (§14 [R]).</summary>
    public const int NextGenerationExtraMonths = 1;

    /// <summary>The first application date on which the threshold is 18 (改正民法, 2022-04-01).</summary>
    public static readonly DateOnly AdultAge18From = new(2022, 4, 1);

    /// <summary>The adult age that applies to an application made on <paramref name="appliedOn"/>.</summary>
    public static int AdultAgeOn(DateOnly appliedOn) => appliedOn >= AdultAge18From ? AdultAge : FormerAdultAge;

    /// <summary>
    /// The expiry of a card applied for on <paramref name="appliedOn"/> and issued by J-LIS on
    /// <paramref name="issuedOn"/> for a person born on <paramref name="dateOfBirth"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The application is before the birth, or the issuance before the application.</exception>
    public static CardExpiry Compute(DateOnly dateOfBirth, DateOnly appliedOn, DateOnly issuedOn)
        => Compute(dateOfBirth, appliedOn, issuedOn, CardGeneration.Current);

    /// <summary>
    /// As <see cref="Compute(DateOnly, DateOnly, DateOnly)"/> for a card of <paramref name="generation"/>: the next
    /// generation adds one month to the counted birthday.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The application is before the birth, the issuance before the application, or <paramref name="generation"/> is unknown.</exception>
    public static CardExpiry Compute(DateOnly dateOfBirth, DateOnly appliedOn, DateOnly issuedOn, CardGeneration generation)
    {
        if (generation is not (CardGeneration.Current or CardGeneration.NextGeneration))
        {
            throw new ArgumentOutOfRangeException(nameof(generation), generation, "Unknown card generation.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(appliedOn, dateOfBirth);
        ArgumentOutOfRangeException.ThrowIfLessThan(issuedOn, appliedOn);
        var age = Birthdays.AgeOn(dateOfBirth, appliedOn);
        var adultAge = AdultAgeOn(appliedOn);
        var count = age >= adultAge ? AdultBirthdays : MinorBirthdays;
        var birthday = Birthdays.NthBirthdayAfter(dateOfBirth, issuedOn, count);
        return generation == CardGeneration.NextGeneration
            ? new CardExpiry(birthday.AddMonths(NextGenerationExtraMonths), age, adultAge, count) { Generation = generation }
            : new CardExpiry(birthday, age, adultAge, count);
    }
}
