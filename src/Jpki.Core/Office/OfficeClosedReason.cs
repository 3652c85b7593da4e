namespace Jpki.Core.Office;

/// <summary>Why the office does not accept applications at a given instant.</summary>
public enum OfficeClosedReason
{
    /// <summary>The office is open.</summary>
    None,

    /// <summary>An open day, but before opening or from closing time on.</summary>
    OutsideHours,

    /// <summary>A weekday the office is closed on (Saturday and Sunday by default).</summary>
    ClosedWeekday,

    /// <summary>A national holiday, substitute holiday (振替休日) or citizens' holiday (国民の休日).</summary>
    NationalHoliday,

    /// <summary>The year-end break, 29 December to 3 January.</summary>
    YearEnd,

    /// <summary>A date the municipality closed (<see cref="OfficeHoursOptions.ExtraClosedDates"/>).</summary>
    MunicipalClosure,
}
