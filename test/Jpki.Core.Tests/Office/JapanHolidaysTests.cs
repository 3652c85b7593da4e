using Jpki.Core.Office;

namespace Jpki.Core.Tests.Office;

/// <summary>
/// Checks the corrected PublicHoliday calendar against an independent implementation of the 祝日法 rules (this
/// file's oracle: fixed dates, Happy Mondays, the equinox approximation, 振替休日, 国民の休日 and the special laws).
/// Only weekdays are compared: the package reports a Sunday holiday by its substitute Monday.
/// </summary>
public sealed class JapanHolidaysTests
{
    public static TheoryData<int> Years => new(Enumerable.Range(2007, 54));

    [Theory]
    [MemberData(nameof(Years))]
    public void HolidaysIn_Weekdays_MatchTheLaw(int year)
    {
        var expected = Oracle(year).Where(IsWeekday).Order().ToList();
        var actual = JapanHolidays.HolidaysIn(year).Keys.Where(IsWeekday).Order().ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("2026-09-22")] // 国民の休日, missing from the package
    [InlineData("2019-04-30")] // 国民の休日 around the enthronement
    [InlineData("2019-05-01")]
    [InlineData("2019-05-02")]
    [InlineData("2019-10-22")]
    [InlineData("2021-08-09")] // substitute for the Olympic Mountain Day, Sunday 8/8
    [InlineData("2025-02-24")]
    [InlineData("2026-05-06")]
    public void TryGetHoliday_CorrectedDates_AreHolidays(string date)
    {
        Assert.True(JapanHolidays.TryGetHoliday(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), out _));
    }

    [Theory]
    [InlineData("2019-12-23")] // no Emperor's Birthday in 2019
    [InlineData("2020-10-12")] // Sports Day moved to 7/24 in 2020
    [InlineData("2021-08-11")]
    [InlineData("2026-09-24")]
    public void TryGetHoliday_WorkingDays_AreNotHolidays(string date)
    {
        Assert.False(JapanHolidays.TryGetHoliday(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), out _));
    }

    private static bool IsWeekday(DateOnly d) => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static DateOnly NthMonday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }

    private static HashSet<DateOnly> Oracle(int year)
    {
        var y = year - 1980;
        var statutory = new HashSet<DateOnly>
        {
            new(year, 1, 1), NthMonday(year, 1, 2), new(year, 2, 11),
            new(year, 3, (int)(20.8431 + (0.242194 * y) - (y / 4))),
            new(year, 4, 29), new(year, 5, 3), new(year, 5, 5),
            NthMonday(year, 7, 3), NthMonday(year, 9, 3),
            new(year, 9, (int)(23.2488 + (0.242194 * y) - (y / 4))),
            NthMonday(year, 10, 2), new(year, 11, 3), new(year, 11, 23),
        };
        if (year >= 2007) statutory.Add(new(year, 5, 4));
        if (year >= 2016) statutory.Add(new(year, 8, 11));
        if (year >= 2020) statutory.Add(new(year, 2, 23));
        if (year <= 2018) statutory.Add(new(year, 12, 23));
        if (year == 2019) { statutory.Add(new(2019, 5, 1)); statutory.Add(new(2019, 10, 22)); }
        if (year is 2020 or 2021)
        {
            statutory.Remove(NthMonday(year, 7, 3));
            statutory.Remove(NthMonday(year, 10, 2));
            statutory.Remove(new(year, 8, 11));
            var shift = year == 2020 ? 0 : -1;
            statutory.Add(new(year, 7, 23 + shift));
            statutory.Add(new(year, 7, 24 + shift));
            statutory.Add(year == 2020 ? new(2020, 8, 10) : new(2021, 8, 8));
        }

        var all = new HashSet<DateOnly>(statutory);
        foreach (var day in statutory.Where(d => d.DayOfWeek == DayOfWeek.Sunday))
        {
            var substitute = day.AddDays(1);
            while (all.Contains(substitute))
            {
                substitute = substitute.AddDays(1);
            }

            all.Add(substitute);
        }

        foreach (var day in statutory)
        {
            var between = day.AddDays(1);
            if (statutory.Contains(day.AddDays(2)) && !all.Contains(between) && between.DayOfWeek != DayOfWeek.Sunday)
            {
                all.Add(between);
            }
        }

        return all;
    }
}
