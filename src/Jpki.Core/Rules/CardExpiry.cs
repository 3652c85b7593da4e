using Jpki.Core.Identity;

namespace Jpki.Core.Rules;

/// <summary>The computed expiry of a My Number card (see <see cref="CardValidity"/>).</summary>
/// <param name="ExpiresOn">The last day on which the card is valid.</param>
/// <param name="AgeAtApplication">The applicant's age in completed years on the application date.</param>
/// <param name="AdultAge">The age threshold in force for that application date (18, or 20 before 2022-04-01).</param>
/// <param name="BirthdaysCounted">10 for an adult applicant, 5 for a minor.</param>
public sealed record CardExpiry(DateOnly ExpiresOn, int AgeAtApplication, int AdultAge, int BirthdaysCounted)
{
    /// <summary>The card generation whose rule applied (the next generation adds one month to the birthday).</summary>
    public CardGeneration Generation { get; init; }
}
