using Jpki.Core.Office;

namespace Jpki.Core.Tests.Office;

public sealed class OfficeCalendarTests
{
    private static readonly OfficeCalendar Default = new();

    private static DateTimeOffset Jst(string text) => DateTimeOffset.Parse(text + "+09:00", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-25T08:29:59", false)]
    [InlineData("2026-11-25T08:30:00", true)]
    [InlineData("2026-11-25T16:59:59", true)]
    [InlineData("2026-11-25T17:00:00", false)]
    [InlineData("2026-11-25T12:00:00", true)]
    public void Check_Weekday_OpenFrom0830UntilBefore1700(string at, bool open)
    {
        var verdict = Default.Check(Jst(at));
        Assert.Equal(open, verdict.IsOpen);
        Assert.Equal(open ? OfficeClosedReason.None : OfficeClosedReason.OutsideHours, verdict.Reason);
    }

    [Fact]
    public void Check_UtcInstant_IsJudgedInJst()
    {
        // 2026-11-24T23:30Z is 08:30 JST on the 25th.
        Assert.True(Default.Check(new DateTimeOffset(2026, 11, 24, 23, 30, 0, TimeSpan.Zero)).IsOpen);
        Assert.False(Default.Check(new DateTimeOffset(2026, 11, 24, 23, 29, 0, TimeSpan.Zero)).IsOpen);
    }

    [Fact]
    public void Check_Open_ReportsClosingTime()
    {
        var verdict = Default.Check(Jst("2026-11-25T10:00:00"));
        Assert.Equal(Jst("2026-11-25T17:00:00"), verdict.ClosesAt);
        Assert.Null(verdict.Code);
        Assert.True(verdict.ToRuleOutcome().IsAllowed);
    }

    [Fact]
    public void Check_BeforeOpening_NextOpeningIsToday()
    {
        var verdict = Default.Check(Jst("2026-11-25T08:29:00"));
        Assert.Equal(Jst("2026-11-25T08:30:00"), verdict.NextOpening);
    }

    [Fact]
    public void Check_AtClosing_NextOpeningIsNextWorkingDay()
    {
        var verdict = Default.Check(Jst("2026-11-27T17:00:00")); // a Friday
        Assert.Equal(Jst("2026-11-30T08:30:00"), verdict.NextOpening);
        Assert.Equal("office-closed", verdict.Code);
        var outcome = verdict.ToRuleOutcome();
        Assert.False(outcome.IsAllowed);
        Assert.Equal("office-closed", outcome.Code);
        Assert.Contains("2026-11-30 (Mon) 08:30 JST", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(Jst("2026-11-30T08:30:00"), outcome.Data!.NextOpening); // data, not a sentence to parse
        Assert.Equal(OfficeClosedReason.OutsideHours, outcome.Data.ClosedReason);
    }

    [Theory]
    [InlineData("2026-11-28", OfficeClosedReason.ClosedWeekday)] // Saturday
    [InlineData("2026-11-29", OfficeClosedReason.ClosedWeekday)] // Sunday
    [InlineData("2026-12-28", OfficeClosedReason.None)]
    [InlineData("2026-12-29", OfficeClosedReason.YearEnd)]
    [InlineData("2026-12-31", OfficeClosedReason.YearEnd)]
    [InlineData("2027-01-01", OfficeClosedReason.YearEnd)]
    [InlineData("2027-01-03", OfficeClosedReason.YearEnd)]
    [InlineData("2027-01-04", OfficeClosedReason.None)] // Monday
    public void ClosedReason_SaturdayAndYearEnd(string date, OfficeClosedReason expected)
    {
        Assert.Equal(expected, Default.ClosedReason(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), out _));
    }

    public static TheoryData<string, string, string> HolidaysWithNeighbours => new()
    {
        // day before, holiday(s), day after
        { "2026-04-28", "2026-04-29", "2026-04-30" }, // 昭和の日
        { "2026-05-01", "2026-05-04,2026-05-05,2026-05-06", "2026-05-07" }, // Golden Week: 5/3 Sun → 5/6 振替休日
        { "2026-09-18", "2026-09-21,2026-09-22,2026-09-23", "2026-09-24" }, // 2026-09-22 国民の休日
        { "2025-02-21", "2025-02-24", "2025-02-25" }, // 2/23 Sun → 2/24 振替休日
        { "2026-07-17", "2026-07-20", "2026-07-21" }, // 海の日
        { "2026-08-10", "2026-08-11", "2026-08-12" }, // 山の日
        { "2026-11-02", "2026-11-03", "2026-11-04" }, // 文化の日
        { "2026-11-20", "2026-11-23", "2026-11-24" }, // 勤労感謝の日
        { "2026-02-10", "2026-02-11", "2026-02-12" }, // 建国記念の日
        { "2026-02-20", "2026-02-23", "2026-02-24" }, // 天皇誕生日
        { "2026-03-19", "2026-03-20", "2026-03-23" }, // 春分の日 (Fri)
        { "2026-01-09", "2026-01-12", "2026-01-13" }, // 成人の日
        { "2026-10-09", "2026-10-12", "2026-10-13" }, // スポーツの日
    };

    [Theory]
    [MemberData(nameof(HolidaysWithNeighbours))]
    public void ClosedReason_Holiday_ClosedAndNeighboursOpen(string before, string holidays, string after)
    {
        var parse = (string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Default.IsOpenDay(parse(before)), before);
        foreach (var day in holidays.Split(','))
        {
            Assert.Equal(OfficeClosedReason.NationalHoliday, Default.ClosedReason(parse(day), out var name));
            Assert.False(string.IsNullOrEmpty(name));
        }

        Assert.True(Default.IsOpenDay(parse(after)), after);
    }

    [Fact]
    public void Check_CitizensHoliday_NamesItAndPointsToNextOpening()
    {
        var verdict = Default.Check(Jst("2026-09-22T09:00:00"));
        Assert.Equal(OfficeClosedReason.NationalHoliday, verdict.Reason);
        Assert.Contains("国民の休日", verdict.HolidayName, StringComparison.Ordinal);
        Assert.Equal(Jst("2026-09-24T08:30:00"), verdict.NextOpening);
    }

    [Fact]
    public void Check_YearEnd_NextOpeningAfterNewYear()
    {
        var verdict = Default.Check(Jst("2026-12-29T09:00:00"));
        Assert.Equal(OfficeClosedReason.YearEnd, verdict.Reason);
        Assert.Equal(Jst("2027-01-04T08:30:00"), verdict.NextOpening);
    }

    [Fact]
    public void Options_CustomHours_AreUsed()
    {
        var calendar = new OfficeCalendar(new OfficeHoursOptions { Opens = new(9, 0), Closes = new(19, 0) });
        Assert.False(calendar.Check(Jst("2026-11-25T08:45:00")).IsOpen);
        Assert.True(calendar.Check(Jst("2026-11-25T18:59:00")).IsOpen);
        Assert.False(calendar.Check(Jst("2026-11-25T19:00:00")).IsOpen);
    }

    [Fact]
    public void Options_ExtraOpenSunday_IsOpen()
    {
        var sunday = new DateOnly(2026, 11, 29);
        var calendar = new OfficeCalendar(new OfficeHoursOptions { ExtraOpenDates = new HashSet<DateOnly> { sunday } });
        Assert.True(calendar.Check(Jst("2026-11-29T10:00:00")).IsOpen);
        Assert.Equal(Jst("2026-11-29T08:30:00"), calendar.Check(Jst("2026-11-28T10:00:00")).NextOpening);
    }

    [Fact]
    public void Options_ExtraClosedDate_WinsOverExtraOpen()
    {
        var day = new DateOnly(2026, 11, 25);
        var calendar = new OfficeCalendar(new OfficeHoursOptions
        {
            ExtraClosedDates = new HashSet<DateOnly> { day },
            ExtraOpenDates = new HashSet<DateOnly> { day },
        });
        Assert.Equal(OfficeClosedReason.MunicipalClosure, calendar.Check(Jst("2026-11-25T10:00:00")).Reason);
    }

    [Fact]
    public void Options_ClosedWeekdays_AndHolidaysOff()
    {
        var calendar = new OfficeCalendar(new OfficeHoursOptions
        {
            ClosedWeekdays = new HashSet<DayOfWeek> { DayOfWeek.Sunday, DayOfWeek.Wednesday },
            ClosedOnNationalHolidays = false,
            ClosedForYearEnd = false,
        });
        Assert.True(calendar.IsOpenDay(new DateOnly(2026, 11, 28))); // Saturday
        Assert.False(calendar.IsOpenDay(new DateOnly(2026, 11, 25))); // Wednesday
        Assert.True(calendar.IsOpenDay(new DateOnly(2026, 11, 3))); // Culture Day, holidays not observed
        Assert.True(calendar.IsOpenDay(new DateOnly(2026, 12, 29)));
    }

    [Fact]
    public void Options_EveryDayClosed_NoNextOpening()
    {
        var calendar = new OfficeCalendar(new OfficeHoursOptions { ClosedWeekdays = Enum.GetValues<DayOfWeek>().ToHashSet() });
        var verdict = calendar.Check(Jst("2026-11-25T10:00:00"));
        Assert.False(verdict.IsOpen);
        Assert.Null(verdict.NextOpening);
        Assert.Contains("no opening day", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_CloseNotAfterOpen_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new OfficeCalendar(new OfficeHoursOptions { Opens = new(17, 0), Closes = new(8, 30) }));
        Assert.Equal("Closes", error.ParamName);
    }

    [Fact]
    public void Check_OutOfRange_ThrowsWithParamName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Default.Check(DateTimeOffset.MaxValue));
        Assert.Equal("at", error.ParamName);
    }
}
