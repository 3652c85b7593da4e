using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using PublicHoliday;

namespace Jpki.Core.Office;

/// <summary>
/// Japan's national holidays (国民の祝日に関する法律): the PublicHoliday package's <see cref="JapanPublicHoliday"/>,
/// corrected where it is wrong (see docs/office-hours.md):
/// <list type="bullet">
/// <item>国民の休日 (art. 3(3), a day between two holidays) is missing from the package, e.g. 2026-09-22: it is
/// derived here by that rule, not listed.</item>
/// <item>One-off holidays set by special laws are missing or misplaced (2019 enthronement, 2020/2021 Olympic
/// moves): <see cref="SpecialLawCorrections"/> lists each change with its law.</item>
/// </list>
/// The package reports a holiday that falls on a Sunday only by its substitute Monday (振替休日); that is enough
/// for closing days. Checked against the law for 2007–2060 (the present 振替休日 rule dates from 2007); earlier
/// years are not corrected (the package applies later rules to 2000–2003). Computed once per year, thread-safely.
/// </summary>
public static class JapanHolidays
{
    private const string CitizensHoliday = "Citizens' Holiday (国民の休日)";
    private static readonly ConcurrentDictionary<int, FrozenDictionary<DateOnly, string>> Years = new();

    /// <summary>True when <paramref name="date"/> is a national holiday, substitute holiday or citizens' holiday.</summary>
    /// <param name="date">A Japan calendar date.</param>
    /// <param name="name">The holiday's name (English, as the PublicHoliday package names it), or null.</param>
    public static bool TryGetHoliday(DateOnly date, [NotNullWhen(true)] out string? name) =>
        HolidaysIn(date.Year).TryGetValue(date, out name);

    /// <summary>Every holiday of <paramref name="year"/> with its name.</summary>
    public static IReadOnlyDictionary<DateOnly, string> HolidaysIn(int year) => Years.GetOrAdd(year, Compute);

    private static FrozenDictionary<DateOnly, string> Compute(int year)
    {
        // A new instance per year: the package caches per instance and is not documented as thread-safe.
        var library = new JapanPublicHoliday();
        var days = new Dictionary<DateOnly, string>();
        foreach (var (date, name) in library.PublicHolidayNames(year))
        {
            days[DateOnly.FromDateTime(date)] = name;
        }

        foreach (var correction in SpecialLawCorrections.Where(c => c.Date.Year == year))
        {
            if (correction.Name is null)
            {
                days.Remove(correction.Date);
                continue;
            }

            days[correction.Date] = correction.Name;
            if (correction.Date.DayOfWeek == DayOfWeek.Sunday)
            {
                // 振替休日 (art. 3(2)): the nearest following day that is not a holiday.
                var substitute = correction.Date.AddDays(1);
                while (days.ContainsKey(substitute))
                {
                    substitute = substitute.AddDays(1);
                }

                days[substitute] = $"Substitute Holiday ({correction.Name})";
            }
        }

        // 国民の休日 (art. 3(3)): a day whose previous and next days are holidays is a holiday too.
        foreach (var date in days.Keys.Order().ToList())
        {
            var between = date.AddDays(1);
            if (days.ContainsKey(date.AddDays(2)) && !days.ContainsKey(between) && between.DayOfWeek != DayOfWeek.Sunday)
            {
                days[between] = CitizensHoliday;
            }
        }

        return days.ToFrozenDictionary();
    }

    /// <summary>
    /// Changes to the package's dates made by special laws: a name adds the holiday, null removes the package's date.
    /// </summary>
    internal static readonly IReadOnlyList<(DateOnly Date, string? Name)> SpecialLawCorrections =
    [
        // 天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律 (平成30年法律第99号); 4/30 and 5/2 follow as 国民の休日.
        (new DateOnly(2019, 5, 1), "Enthronement Day (天皇の即位の日)"),
        (new DateOnly(2019, 10, 22), "Enthronement Ceremony (即位礼正殿の儀の行われる日)"),
        // The Emperor's Birthday moved to 23 February from 2020 (平成29年法律第63号 附則); 2019 had none.
        (new DateOnly(2019, 12, 23), null),
        // 東京オリンピック・パラリンピック特別措置法 (平成30年改正, 令和2年改正): 2020 and 2021 moves.
        (new DateOnly(2020, 7, 20), null),
        (new DateOnly(2020, 10, 12), null),
        (new DateOnly(2020, 8, 11), null),
        (new DateOnly(2020, 7, 23), "Marine Day (Olympic special measure)"),
        (new DateOnly(2020, 7, 24), "Sports Day (Olympic special measure)"),
        (new DateOnly(2020, 8, 10), "Mountain Day (Olympic special measure)"),
        (new DateOnly(2021, 7, 19), null),
        (new DateOnly(2021, 10, 11), null),
        (new DateOnly(2021, 8, 11), null),
        (new DateOnly(2021, 7, 22), "Marine Day (Olympic special measure)"),
        (new DateOnly(2021, 7, 23), "Sports Day (Olympic special measure)"),
        (new DateOnly(2021, 8, 8), "Mountain Day (Olympic special measure)"),
    ];
}
