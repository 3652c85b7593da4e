using Jpki.Core.Rules;

namespace Jpki.Core.Office;

/// <summary>Whether the counter accepts applications at an instant, and if not, why and when it next opens.</summary>
/// <param name="At">The instant asked about, in JST.</param>
/// <param name="Reason"><see cref="OfficeClosedReason.None"/> when open.</param>
/// <param name="HolidayName">The holiday's name when <paramref name="Reason"/> is <see cref="OfficeClosedReason.NationalHoliday"/>.</param>
/// <param name="ClosesAt">When open: today's closing instant (exclusive).</param>
/// <param name="NextOpening">When closed: the next instant applications are accepted, or null if none within a year.</param>
public sealed record OfficeHoursVerdict(
    DateTimeOffset At,
    OfficeClosedReason Reason,
    string? HolidayName,
    DateTimeOffset? ClosesAt,
    DateTimeOffset? NextOpening)
{
    /// <summary>The machine code of a refusal.</summary>
    public const string ClosedCode = "office-closed";

    /// <summary>True when applications are accepted at <see cref="At"/>.</summary>
    public bool IsOpen => Reason == OfficeClosedReason.None;

    /// <summary><see cref="ClosedCode"/> when closed, null when open.</summary>
    public string? Code => IsOpen ? null : ClosedCode;

    /// <summary>A sentence for people: open until when, or closed why and until when.</summary>
    public string Message => IsOpen
        ? $"The office is open; applications are accepted until {Format(ClosesAt!.Value)}."
        : $"The office is closed ({Describe()}); " + (NextOpening is { } next
            ? $"applications are next accepted from {Format(next)}."
            : "no opening day is configured within a year.");

    /// <summary>This verdict as a <see cref="RuleOutcome{T}"/>: allowed when open, refused with <see cref="ClosedCode"/> otherwise.</summary>
    public RuleOutcome<OfficeHoursVerdict> ToRuleOutcome() => IsOpen ? RuleOutcome<OfficeHoursVerdict>.Allow(this) : RuleOutcome<OfficeHoursVerdict>.Refuse(ClosedCode, Message, new RefusalData { ClosedReason = Reason, NextOpening = NextOpening });

    private string Describe() => Reason switch
    {
        OfficeClosedReason.OutsideHours => "outside office hours",
        OfficeClosedReason.ClosedWeekday => $"closed on {At.DayOfWeek}s",
        OfficeClosedReason.NationalHoliday => $"national holiday: {HolidayName}",
        OfficeClosedReason.YearEnd => "year-end break, 29 December to 3 January",
        OfficeClosedReason.MunicipalClosure => "closed by the municipality on this date",
        _ => Reason.ToString(),
    };

    private static string Format(DateTimeOffset instant) =>
        instant.ToString("yyyy-MM-dd (ddd) HH:mm 'JST'", System.Globalization.CultureInfo.InvariantCulture);
}
