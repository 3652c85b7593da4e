namespace Jpki.Core.Time;

/// <summary>
/// Birthday arithmetic for validity periods and ages.
/// </summary>
/// <remarks>
/// <para><b>The leap-day rule</b> (<see cref="BirthdayIn"/>): a person born on 29 February has their birthday on
/// 28 February in common years. No JPKI source states this (JPKI-REFERENCE §7, gap 4); we follow the reading of
/// 民法143条2項 (a period ending in a month without the corresponding day ends on that month's last day), which
/// is also how 年齢計算ニ関スル法律 is applied. It is the single place this rule lives: every rule that counts
/// birthdays goes through <see cref="BirthdayIn"/>.</para>
/// <para><b>Counting</b>: "the Nth birthday after D" counts birthdays strictly after D, so a birthday that falls on
/// D itself is not #1 (JPKI-REFERENCE §7, example: card issued 2020-05-15, birthday 10-10 → 2029-10-10 is the
/// 10th).</para>
/// </remarks>
public static class Birthdays
{
    /// <summary>The date on which a person born on <paramref name="dateOfBirth"/> has their birthday in <paramref name="year"/>, applying the leap-day rule.</summary>
    public static DateOnly BirthdayIn(DateOnly dateOfBirth, int year)
    {
        if (dateOfBirth.Month == 2 && dateOfBirth.Day == 29 && !DateTime.IsLeapYear(year))
        {
            return new DateOnly(year, 2, 28);
        }

        return new DateOnly(year, dateOfBirth.Month, dateOfBirth.Day);
    }

    /// <summary>The <paramref name="n"/>th birthday strictly after <paramref name="date"/> (n ≥ 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1, or <paramref name="date"/> is before the birth.</exception>
    public static DateOnly NthBirthdayAfter(DateOnly dateOfBirth, DateOnly date, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(date, dateOfBirth);
        var thisYear = BirthdayIn(dateOfBirth, date.Year);
        var firstYear = thisYear > date ? date.Year : date.Year + 1;
        return BirthdayIn(dateOfBirth, firstYear + n - 1);
    }

    /// <summary>
    /// Age in completed years on <paramref name="date"/>. A person turns N at the start of their birthday
    /// (年齢計算ニ関スル法律 counts from the day of birth; the day is not split), with the leap-day rule.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="date"/> is before the birth.</exception>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly date)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(date, dateOfBirth);
        var age = date.Year - dateOfBirth.Year;
        return date < BirthdayIn(dateOfBirth, date.Year) ? age - 1 : age;
    }
}
