namespace Jpki.Core.Office;

/// <summary>
/// When one municipality's counter accepts JPKI applications. The defaults are the common municipal hours:
/// 08:30–17:00 JST on weekdays, closed on national holidays and from 29 December to 3 January.
/// </summary>
public sealed record OfficeHoursOptions
{
    /// <summary>The defaults: 08:30–17:00, Saturday and Sunday closed, national holidays and 12/29–1/3 closed.</summary>
    public static OfficeHoursOptions Default { get; } = new();

    /// <summary>First minute applications are accepted (inclusive). Default 08:30.</summary>
    public TimeOnly Opens { get; init; } = new(8, 30);

    /// <summary>When the counter stops accepting (exclusive: at 17:00 it is closed). Default 17:00.</summary>
    public TimeOnly Closes { get; init; } = new(17, 0);

    /// <summary>Weekdays on which the office is closed. Default Saturday and Sunday.</summary>
    public IReadOnlySet<DayOfWeek> ClosedWeekdays { get; init; } = new HashSet<DayOfWeek> { DayOfWeek.Saturday, DayOfWeek.Sunday };

    /// <summary>Closed on national holidays (祝日法 holidays, 振替休日 and 国民の休日). Default true.</summary>
    public bool ClosedOnNationalHolidays { get; init; } = true;

    /// <summary>Closed for the year-end break, 29 December to 3 January (年末年始). Default true.</summary>
    public bool ClosedForYearEnd { get; init; } = true;

    /// <summary>Extra closed dates (e.g. a system maintenance day). They win over every other rule.</summary>
    public IReadOnlySet<DateOnly> ExtraClosedDates { get; init; } = new HashSet<DateOnly>();

    /// <summary>Extra open dates with the usual hours (e.g. a Sunday opening, 休日開庁). They win over every rule but
    /// <see cref="ExtraClosedDates"/>.</summary>
    public IReadOnlySet<DateOnly> ExtraOpenDates { get; init; } = new HashSet<DateOnly>();

    /// <summary>Throws when the options cannot describe an office: closing not after opening, or null sets.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public void Validate()
    {
        if (Closes <= Opens)
        {
            throw new ArgumentException($"The office must close after it opens ({Opens:HH\\:mm}–{Closes:HH\\:mm}).", nameof(Closes));
        }

        ArgumentNullException.ThrowIfNull(ClosedWeekdays);
        ArgumentNullException.ThrowIfNull(ExtraClosedDates);
        ArgumentNullException.ThrowIfNull(ExtraOpenDates);
    }
}
