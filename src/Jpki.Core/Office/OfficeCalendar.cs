using Jpki.Core.Time;

namespace Jpki.Core.Office;

/// <summary>
/// The office hours of one municipal counter: whether JPKI applications are accepted at an instant, and when next.
/// Times are Japan Standard Time; opening is inclusive, closing exclusive (08:30 open, 17:00 closed by default).
/// </summary>
public sealed class OfficeCalendar
{
    /// <summary>How far <see cref="NextOpening"/> looks ahead before giving up.</summary>
    public const int LookAheadDays = 366;

    /// <summary>A calendar with <paramref name="options"/>, or <see cref="OfficeHoursOptions.Default"/>.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="OfficeHoursOptions.Validate"/>).</exception>
    public OfficeCalendar(OfficeHoursOptions? options = null)
    {
        Options = options ?? OfficeHoursOptions.Default;
        Options.Validate();
    }

    /// <summary>The municipality's hours and closed days.</summary>
    public OfficeHoursOptions Options { get; }

    /// <summary>The first year the calendar answers for (the national holiday law dates from 1948).</summary>
    public const int FirstYear = 1948;

    /// <summary>The last year the calendar answers for.</summary>
    public const int LastYear = 9998;

    /// <summary>Whether applications are accepted at <paramref name="at"/>; when not, why and when they next are.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> falls outside <see cref="FirstYear"/>–<see cref="LastYear"/> in JST.</exception>
    public OfficeHoursVerdict Check(DateTimeOffset at)
    {
        var jst = InRange(at, nameof(at));
        var date = JapanTime.ToJapanDate(jst);
        var time = JapanTime.ToJapanTimeOfDay(jst);
        var reason = ClosedReason(date, out var holiday);
        if (reason == OfficeClosedReason.None)
        {
            if (time >= Options.Opens && time < Options.Closes)
            {
                return new OfficeHoursVerdict(jst, OfficeClosedReason.None, null, JapanTime.At(date, Options.Closes), null);
            }

            reason = OfficeClosedReason.OutsideHours;
        }

        return new OfficeHoursVerdict(jst, reason, holiday, null, NextOpening(jst));
    }

    /// <summary>True when the office opens at all on <paramref name="date"/>.</summary>
    public bool IsOpenDay(DateOnly date) => ClosedReason(date, out _) == OfficeClosedReason.None;

    /// <summary>
    /// The first opening instant strictly after <paramref name="at"/> (today's opening if it is still to come), or null
    /// when no day within <see cref="LookAheadDays"/> is open.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> falls outside <see cref="FirstYear"/>–<see cref="LastYear"/> in JST.</exception>
    public DateTimeOffset? NextOpening(DateTimeOffset at)
    {
        var jst = InRange(at, nameof(at));
        var date = JapanTime.ToJapanDate(jst);
        if (IsOpenDay(date) && JapanTime.ToJapanTimeOfDay(jst) < Options.Opens)
        {
            return JapanTime.At(date, Options.Opens);
        }

        for (var i = 1; i <= LookAheadDays; i++)
        {
            var day = date.AddDays(i);
            if (IsOpenDay(day))
            {
                return JapanTime.At(day, Options.Opens);
            }
        }

        return null;
    }

    private static DateTimeOffset InRange(DateTimeOffset at, string paramName)
    {
        if (at.UtcDateTime.Year < FirstYear || at.UtcDateTime.Year > LastYear)
        {
            throw new ArgumentOutOfRangeException(paramName, at, $"The office calendar covers the years {FirstYear}–{LastYear}.");
        }

        return JapanTime.ToJst(at);
    }

    /// <summary>Why the office is closed all of <paramref name="date"/>, or <see cref="OfficeClosedReason.None"/>.</summary>
    public OfficeClosedReason ClosedReason(DateOnly date, out string? holidayName)
    {
        holidayName = null;
        if (Options.ExtraClosedDates.Contains(date))
        {
            return OfficeClosedReason.MunicipalClosure;
        }

        if (Options.ExtraOpenDates.Contains(date))
        {
            return OfficeClosedReason.None;
        }

        if (Options.ClosedForYearEnd && ((date.Month == 12 && date.Day >= 29) || (date.Month == 1 && date.Day <= 3)))
        {
            return OfficeClosedReason.YearEnd;
        }

        if (Options.ClosedOnNationalHolidays && JapanHolidays.TryGetHoliday(date, out var name))
        {
            holidayName = name;
            return OfficeClosedReason.NationalHoliday;
        }

        return Options.ClosedWeekdays.Contains(date.DayOfWeek) ? OfficeClosedReason.ClosedWeekday : OfficeClosedReason.None;
    }
}
