using FsCheck.Xunit;
using Jpki.Core.Time;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Time;

public sealed class EraDateTests
{
    /// <summary>Last day of one era and first day of the next.</summary>
    public static TheoryData<string, Era, string, Era> Boundaries => new()
    {
        { "1912-07-29", Era.Meiji, "1912-07-30", Era.Taisho },
        { "1926-12-24", Era.Taisho, "1926-12-25", Era.Showa },
        { "1989-01-07", Era.Showa, "1989-01-08", Era.Heisei },
        { "2019-04-30", Era.Heisei, "2019-05-01", Era.Reiwa },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void EraOf_Boundary_SwitchesOnFirstDay(string lastDay, Era before, string firstDay, Era after)
    {
        Assert.Equal(before, EraDate.EraOf(D(lastDay)));
        Assert.Equal(after, EraDate.EraOf(D(firstDay)));
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void TryParse_Boundary_AcceptsOnlyTheRightEraEachSide(string lastDay, Era before, string firstDay, Era after)
    {
        var last = D(lastDay).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var first = D(firstDay).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(EraDate.TryParse($"{(int)before}{last}", out var e1, out var d1));
        Assert.Equal((before, D(lastDay)), (e1, d1));
        Assert.False(EraDate.TryParse($"{(int)after}{last}", out _, out _));
        Assert.True(EraDate.TryParse($"{(int)after}{first}", out var e2, out var d2));
        Assert.Equal((after, D(firstDay)), (e2, d2));

        // Meiji and Taisho ended on the day their successors began (1912-07-30, 1926-12-25): a register may write that day
        // in either era (issue 12: 1926-12-25 written as 大正15年12月25日 is valid). Heisei and Reiwa began the day after.
        var sharedDay = firstDay is "1912-07-30" or "1926-12-25";
        Assert.Equal(sharedDay, EraDate.TryParse($"{(int)before}{first}", out _, out _));
    }

    [Theory]
    [InlineData("1980-02-17", "319800217")] // JPKI-REFERENCE §6.2 example
    [InlineData("1868-01-25", "118680125")]
    [InlineData("1912-07-29", "119120729")]
    [InlineData("1912-07-30", "219120730")]
    [InlineData("1926-12-24", "219261224")]
    [InlineData("1926-12-25", "319261225")]
    [InlineData("1989-01-07", "319890107")]
    [InlineData("1989-01-08", "419890108")]
    [InlineData("2019-04-30", "420190430")]
    [InlineData("2019-05-01", "520190501")]
    [InlineData("2024-02-29", "520240229")]
    public void Format_Cases_EraDigitThenGregorian(string date, string expected)
    {
        Assert.Equal(expected, EraDate.Format(D(date)));
        Assert.Equal(D(date), EraDate.Parse(expected));
    }

    [Fact]
    public void EraOf_BeforeMeiji_Throws()
    {
        Assert.Equal(Era.Meiji, EraDate.EraOf(D("1868-01-25")));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => EraDate.EraOf(D("1868-01-24")));
        Assert.Equal("date", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => EraDate.Format(D("1868-01-24")));
    }

    [Theory]
    [InlineData("019800217", "1980-02-17")]
    [InlineData("018680124", "1868-01-24")] // unknown era accepts any valid date, even before Meiji
    [InlineData("020190501", "2019-05-01")]
    [InlineData("019000101", "1900-01-01")]
    public void TryParse_UnknownEra_AcceptsAnyValidDate(string text, string expected)
    {
        Assert.True(EraDate.TryParse(text, out var era, out var date));
        Assert.Equal(Era.Unknown, era);
        Assert.Equal(D(expected), date);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("31980021")] // 8 characters
    [InlineData("3198002170")] // 10 characters
    [InlineData(" 31980021")]
    [InlineData("3198O0217")] // letter O
    [InlineData("31980-217")]
    [InlineData("+19800217")]
    [InlineData("３19800217")] // full-width digit
    [InlineData("٣19800217")] // Arabic-Indic digit
    [InlineData("320250230")] // 30 February
    [InlineData("319810229")] // 29 February in a common year
    [InlineData("319801301")] // month 13
    [InlineData("319800100")] // day 0
    [InlineData("619800217")] // no era 6
    [InlineData("919800217")]
    [InlineData("419800217")] // 1980 is Shōwa, not Heisei
    [InlineData("519800217")]
    [InlineData("219800217")]
    [InlineData("118680124")] // before Meiji with an era digit
    [InlineData("100000101")]
    public void TryParse_Invalid_ReturnsFalse(string? text)
    {
        Assert.False(EraDate.TryParse(text, out var era, out var date));
        Assert.Equal(Era.Unknown, era);
        Assert.Equal(default, date);
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => EraDate.Parse(text));
        }
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull()
        => Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => EraDate.Parse(null!)).ParamName);

    [Fact]
    public void FormatThenParse_EveryDaySinceMeiji_RoundTrips()
    {
        for (var day = D("1868-01-25"); day <= D("2200-12-31"); day = day.AddDays(1))
        {
            var text = EraDate.Format(day);
            Assert.True(EraDate.TryParse(text, out var era, out var parsed), text);
            Assert.Equal(day, parsed);
            Assert.Equal(EraDate.EraOf(day), era);
        }
    }

    [Property(MaxTest = 1000)]
    public bool FormatThenParse_AnyDateSinceMeiji_RoundTrips(int seed)
    {
        var meiji = D("1868-01-25");
        var day = Pick(seed, meiji, DateOnly.MaxValue.DayNumber - meiji.DayNumber + 1);
        var text = EraDate.Format(day);
        return text.Length == 9
            && EraDate.TryParse(text, out var era, out var parsed)
            && parsed == day
            && era == EraDate.EraOf(day)
            && era != Era.Unknown;
    }
}
