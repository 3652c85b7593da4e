using System.Globalization;
using Jpki.Core.Identity;

namespace Jpki.Core.Rules;

/// <summary>
/// The days on which a certificate may be renewed: from the day three months before its expiry day through the
/// expiry day itself, inclusive (JPKI-REFERENCE §7, "有効期間満了日の3ヶ月前から" [C JLIS]).
/// </summary>
/// <remarks>
/// "Three months before" keeps the day of the month and clamps it to the end of a shorter month
/// (<see cref="DateOnly.AddMonths"/>): an expiry on 31 May opens the window on 28 February, or 29 February in a leap
/// year. One city writes "3か月前の翌日から" (from the day after); we follow J-LIS, which gives the earlier day.
/// For the next-generation card (<see cref="CardGeneration.NextGeneration"/>) the window opens <b>one year</b> before the
/// expiry day (JPKI-REFERENCE §14 [R, Digital Agency task force 2024-03-18]), 29 February clamped to 28 February.
/// </remarks>
/// <param name="Opens">The first day on which renewal is possible.</param>
/// <param name="Expiry">The expiry day of the certificate: the last day on which renewal is possible.</param>
public readonly record struct RenewalWindow(DateOnly Opens, DateOnly Expiry)
{
    /// <summary>Months before the expiry day at which the window opens.</summary>
    public const int MonthsBeforeExpiry = 3;

    /// <summary>Refusal code: the request date is before <see cref="Opens"/>.</summary>
    public const string TooEarlyCode = "renewal-too-early";

    /// <summary>Refusal code: the request date is after <see cref="Expiry"/>.</summary>
    public const string AfterExpiryCode = "renewal-after-expiry";

    /// <summary>Years before the expiry day at which the window of a next-generation card's certificate opens (§14 [R]).</summary>
    public const int NextGenerationYearsBeforeExpiry = 1;

    /// <summary>The card generation whose rule opened this window (default <see cref="CardGeneration.Current"/>).</summary>
    public CardGeneration Generation { get; init; }

    /// <summary>The renewal window of today's card's certificate that expires on <paramref name="expiry"/> (a Japan date).</summary>
    public static RenewalWindow For(DateOnly expiry) => For(expiry, CardGeneration.Current);

    /// <summary>
    /// The renewal window of a certificate that expires on <paramref name="expiry"/> (a Japan date) on a card of
    /// <paramref name="generation"/>: 3 months before (today's card) or 1 year before (next generation).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="generation"/> is unknown.</exception>
    public static RenewalWindow For(DateOnly expiry, CardGeneration generation) => generation switch
    {
        CardGeneration.Current => new(expiry.AddMonths(-MonthsBeforeExpiry), expiry),
        CardGeneration.NextGeneration => new(expiry.AddYears(-NextGenerationYearsBeforeExpiry), expiry) { Generation = generation },
        _ => throw new ArgumentOutOfRangeException(nameof(generation), generation, "Unknown card generation."),
    };

    /// <summary>True when <paramref name="date"/> lies in the window, both ends included.</summary>
    public bool Contains(DateOnly date) => date >= Opens && date <= Expiry;

    /// <summary>
    /// Whether a renewal requested on Japan date <paramref name="requestDate"/> is allowed. Allowed: the window itself.
    /// Refusals: <c>renewal-too-early</c> (the message names the first possible date) and <c>renewal-after-expiry</c>
    /// (the message says a new issuance is needed).
    /// </summary>
    public RuleOutcome<RenewalWindow> Check(DateOnly requestDate)
    {
        if (requestDate < Opens)
        {
            return RuleOutcome<RenewalWindow>.Refuse(
                TooEarlyCode,
                string.Create(CultureInfo.InvariantCulture, $"Too early to renew: renewal opens on {Opens:yyyy-MM-dd}, {Lead} before the certificate expires on {Expiry:yyyy-MM-dd}. Come back on or after {Opens:yyyy-MM-dd}."));
        }

        if (requestDate > Expiry)
        {
            return RuleOutcome<RenewalWindow>.Refuse(
                AfterExpiryCode,
                string.Create(CultureInfo.InvariantCulture, $"The certificate expired on {Expiry:yyyy-MM-dd} and can no longer be renewed; a new issuance is needed."));
        }

        return RuleOutcome<RenewalWindow>.Allow(this);
    }

    private string Lead => Generation == CardGeneration.NextGeneration ? "one year" : $"{MonthsBeforeExpiry} months";
}
