using Jpki.Core.Office;
using Jpki.Core.Rules;

namespace Jpki.Municipality.Issuance;

/// <summary><see cref="IOfficeHours"/> over <see cref="OfficeCalendar"/> (opening hours, national holidays, year end).</summary>
public sealed class OfficeCalendarHours : IOfficeHours
{
    private readonly OfficeCalendar _calendar;

    /// <summary>Uses <paramref name="calendar"/>, or the default calendar (08:30–17:00 on working days).</summary>
    public OfficeCalendarHours(OfficeCalendar? calendar = null) => _calendar = calendar ?? new OfficeCalendar();

    /// <inheritdoc/>
    public RuleOutcome<DateTimeOffset> Check(DateTimeOffset at)
    {
        var verdict = _calendar.Check(at);
        return verdict.IsOpen
            ? RuleOutcome<DateTimeOffset>.Allow(at)
            : verdict.ToRuleOutcome().Refused<DateTimeOffset>();
    }
}
