using FsCheck.Xunit;
using Jpki.Core.Time;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Time;

public sealed class BirthdaysTests
{
    [Theory]
    [InlineData("1980-02-17", 2030, "2030-02-17")]
    [InlineData("1980-03-01", 2023, "2023-03-01")]
    [InlineData("2000-02-29", 2023, "2023-02-28")] // leap-day rule: Feb 28 in common years
    [InlineData("2000-02-29", 2024, "2024-02-29")]
    [InlineData("2000-02-29", 2100, "2100-02-28")] // 2100 is not a leap year
    [InlineData("2000-02-29", 2000, "2000-02-29")]
    [InlineData("1896-02-29", 1900, "1900-02-28")]
    [InlineData("1999-12-31", 2030, "2030-12-31")]
    public void BirthdayIn_Cases_ApplyLeapDayRule(string birth, int year, string expected)
        => Assert.Equal(D(expected), Birthdays.BirthdayIn(D(birth), year));

    public static TheoryData<string, string, int, string> NthBirthdayCases => new()
    {
        // JPKI-REFERENCE §6.2: test card issued 2025-10-27 for a holder born 1980-02-17 expires 2030-02-17.
        { "1980-02-17", "2025-10-27", 5, "2030-02-17" },
        // JPKI-REFERENCE §7: card issued 2020-05-15, birthday 10-10 → 2029-10-10 is the 10th.
        { "1990-10-10", "2020-05-15", 10, "2029-10-10" },
        // A birthday on the date itself is not counted.
        { "1980-02-17", "2025-02-17", 1, "2026-02-17" },
        { "1980-02-17", "2025-02-17", 5, "2030-02-17" },
        { "1980-02-17", "2025-02-16", 1, "2025-02-17" },
        { "1980-02-17", "2025-02-16", 5, "2029-02-17" },
        { "1980-02-17", "2025-02-18", 1, "2026-02-17" },
        { "2000-01-01", "2000-01-01", 1, "2001-01-01" },
        { "1980-12-31", "2025-12-31", 1, "2026-12-31" },
        { "1980-01-01", "2025-12-31", 1, "2026-01-01" },
        // Feb 29 births.
        { "2000-02-29", "2023-03-01", 1, "2024-02-29" },
        { "2000-02-29", "2023-06-01", 5, "2028-02-29" },
        { "2000-02-29", "2024-01-01", 1, "2024-02-29" },
        { "2000-02-29", "2024-02-28", 1, "2024-02-29" },
        { "2000-02-29", "2024-02-29", 1, "2025-02-28" },
        { "2000-02-29", "2024-03-01", 5, "2029-02-28" },
        { "2000-02-29", "2025-02-27", 1, "2025-02-28" },
        { "2000-02-29", "2025-02-28", 1, "2026-02-28" }, // Feb 28 is the birthday in 2025: not counted
        { "2000-02-29", "2025-03-01", 3, "2028-02-29" },
    };

    [Theory]
    [MemberData(nameof(NthBirthdayCases))]
    public void NthBirthdayAfter_Cases_CountStrictlyAfter(string birth, string date, int n, string expected)
        => Assert.Equal(D(expected), Birthdays.NthBirthdayAfter(D(birth), D(date), n));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NthBirthdayAfter_NonPositiveN_Throws(int n)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Birthdays.NthBirthdayAfter(D("1980-02-17"), D("2025-01-01"), n));
        Assert.Equal("n", ex.ParamName);
    }

    [Fact]
    public void NthBirthdayAfter_DateBeforeBirth_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Birthdays.NthBirthdayAfter(D("1980-02-17"), D("1980-02-16"), 1));
        Assert.Equal("date", ex.ParamName);
    }

    [Theory]
    [InlineData("2010-06-15", "2025-06-14", 14)]
    [InlineData("2010-06-15", "2025-06-15", 15)]
    [InlineData("2007-06-15", "2025-06-14", 17)]
    [InlineData("2007-06-15", "2025-06-15", 18)]
    [InlineData("2000-02-29", "2018-02-27", 17)]
    [InlineData("2000-02-29", "2018-02-28", 18)] // turns 18 on Feb 28 in a common year
    [InlineData("2000-02-29", "2020-02-28", 19)]
    [InlineData("2000-02-29", "2020-02-29", 20)]
    [InlineData("2000-01-01", "2000-01-01", 0)]
    [InlineData("2000-01-01", "2000-12-31", 0)]
    [InlineData("1868-01-25", "2026-11-25", 158)]
    public void AgeOn_Cases_TurnsAtStartOfBirthday(string birth, string date, int expected)
        => Assert.Equal(expected, Birthdays.AgeOn(D(birth), D(date)));

    [Fact]
    public void AgeOn_DateBeforeBirth_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Birthdays.AgeOn(D("2000-01-02"), D("2000-01-01")));
        Assert.Equal("date", ex.ParamName);
    }

    private static readonly DateOnly Earliest = new(1900, 1, 1);
    private const int Span = 200 * 366;

    [Property(MaxTest = 500)]
    public bool AgeOn_IsMonotone(int birthSeed, int aSeed, int bSeed)
    {
        var birth = Pick(birthSeed, Earliest, Span);
        var a = Pick(aSeed, birth, 120 * 366);
        var b = Pick(bSeed, birth, 120 * 366);
        var (early, late) = a <= b ? (a, b) : (b, a);
        return Birthdays.AgeOn(birth, early) <= Birthdays.AgeOn(birth, late);
    }

    [Property(MaxTest = 500)]
    public bool NthBirthdayAfter_AddsExactlyNYearsOfAge(int birthSeed, int dateSeed, int nSeed)
    {
        var birth = Pick(birthSeed, Earliest, Span);
        var date = Pick(dateSeed, birth, 100 * 366);
        var n = 1 + (int)(unchecked((uint)nSeed) % 12);
        var nth = Birthdays.NthBirthdayAfter(birth, date, n);
        var age = Birthdays.AgeOn(birth, date);
        return nth > date
            && Birthdays.AgeOn(birth, nth) == age + n
            && Birthdays.AgeOn(birth, nth.AddDays(-1)) == age + n - 1;
    }

    [Property(MaxTest = 300)]
    public bool AgeOn_OnEachBirthday_IsYearsSinceBirth(int birthSeed, int yearsSeed)
    {
        var birth = Pick(birthSeed, Earliest, Span);
        var years = 1 + (int)(unchecked((uint)yearsSeed) % 120);
        var birthday = Birthdays.BirthdayIn(birth, birth.Year + years);
        return Birthdays.AgeOn(birth, birthday) == years && Birthdays.AgeOn(birth, birthday.AddDays(-1)) == years - 1;
    }
}
