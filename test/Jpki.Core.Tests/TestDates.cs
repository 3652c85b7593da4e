using System.Globalization;

namespace Jpki.Core.Tests;

/// <summary>Helpers to write dates in tables as ISO strings and to map FsCheck integers to dates.</summary>
internal static class TestDates
{
    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? OptionalD(string? iso) => iso is null ? null : D(iso);

    /// <summary>A day in [<paramref name="from"/>, <paramref name="from"/> + <paramref name="span"/>) chosen by <paramref name="seed"/>.</summary>
    public static DateOnly Pick(int seed, DateOnly from, int span)
        => from.AddDays((int)(unchecked((uint)seed) % (uint)span));
}
