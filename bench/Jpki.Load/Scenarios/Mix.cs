namespace Jpki.Load.Scenarios;

/// <summary>Deterministic spreading of request numbers over choices (same index, same choice, every run).</summary>
internal static class Mix
{
    /// <summary>A well-mixed 64-bit value for <paramref name="index"/> and a salt (SplitMix64).</summary>
    public static ulong Hash(long index, ulong salt)
    {
        var z = unchecked((ulong)index + salt + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, 100) for <paramref name="index"/>.</summary>
    public static int Percent(long index, ulong salt) => (int)(Hash(index, salt) % 100);

    /// <summary>An index into a list of <paramref name="count"/> items.</summary>
    public static int Pick(long index, ulong salt, int count) => (int)(Hash(index, salt) % (ulong)count);
}
