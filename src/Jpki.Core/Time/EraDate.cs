using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Jpki.Core.Time;

/// <summary>
/// The era-coded date of birth of the signature certificate, <c>EYYYYMMDD</c>: one era digit followed by the
/// <b>Gregorian</b> date (e.g. 1980-02-17 → <c>319800217</c>; JPKI-REFERENCE §6.2, profile 3.2 as cited by ZKM).
/// </summary>
/// <remarks>
/// Meiji starts here on 1868-01-25, the Gregorian date of the first day of the lunar year Meiji 1 (the era name was
/// proclaimed on 1868-10-23 and applied from the start of that year). Dates before it have no JPKI era and are
/// refused. Two eras began on the day the previous one ended, so that day belongs to both: 1912-07-30 is 明治45年 and
/// 大正元年, 1926-12-25 is 大正15年 and 昭和元年 (Heisei began the day after Showa ended, Reiwa the day after Heisei).
/// <see cref="Format"/> writes the new era; <see cref="TryParse"/> accepts either.
/// </remarks>
public static class EraDate
{
    private static readonly (Era Era, DateOnly Start)[] Eras =
    [
        (Era.Reiwa, new DateOnly(2019, 5, 1)),
        (Era.Heisei, new DateOnly(1989, 1, 8)),
        (Era.Showa, new DateOnly(1926, 12, 25)),
        (Era.Taisho, new DateOnly(1912, 7, 30)),
        (Era.Meiji, new DateOnly(1868, 1, 25)),
    ];

    // The first days of Taisho and Showa were also the last days of Meiji and Taisho.
    private static readonly DateOnly[] SharedFirstDays = [new(1912, 7, 30), new(1926, 12, 25)];

    /// <summary>The era in which <paramref name="date"/> falls.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date is before Meiji.</exception>
    public static Era EraOf(DateOnly date)
    {
        foreach (var (era, start) in Eras)
        {
            if (date >= start)
            {
                return era;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(date), date, "Dates before the Meiji era have no JPKI era code.");
    }

    /// <summary>
    /// True when <paramref name="date"/> is a day of <paramref name="era"/>: its era, or the era that ended that day
    /// (1912-07-30 is also Meiji, 1926-12-25 also Taisho).
    /// </summary>
    public static bool IsDayOf(DateOnly date, Era era)
    {
        if (era == Era.Unknown || date < Eras[^1].Start)
        {
            return false;
        }

        var current = EraOf(date);
        return current == era || (era == current - 1 && SharedFirstDays.Contains(date));
    }

    /// <summary>Formats <paramref name="date"/> as <c>EYYYYMMDD</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date is before Meiji.</exception>
    public static string Format(DateOnly date)
        => string.Create(CultureInfo.InvariantCulture, $"{(int)EraOf(date)}{date.Year:D4}{date.Month:D2}{date.Day:D2}");

    /// <summary>
    /// Parses <c>EYYYYMMDD</c>. The era digit must match the date's era, except 0 (unknown), which is accepted with
    /// any valid date. Returns false for anything else: wrong length, non-digits, impossible dates, mismatched era.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Era era, out DateOnly date)
    {
        era = Era.Unknown;
        date = default;
        if (text is null || text.Length != 9)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var digit = text[0] - '0';
        if (digit > (int)Era.Reiwa)
        {
            return false;
        }

        if (!DateOnly.TryParseExact(text.AsSpan(1), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        var claimed = (Era)digit;
        if (claimed != Era.Unknown && (parsed < Eras[^1].Start || !IsDayOf(parsed, claimed)))
        {
            return false;
        }

        era = claimed;
        date = parsed;
        return true;
    }

    /// <summary>Parses <c>EYYYYMMDD</c>, returning the Gregorian date.</summary>
    /// <exception cref="FormatException">The text is not a valid era-coded date; the message says why in general terms.</exception>
    public static DateOnly Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out _, out var date)
            ? date
            : throw new FormatException("Not an era-coded date EYYYYMMDD (era digit 0–5 matching a valid Gregorian date).");
    }
}
