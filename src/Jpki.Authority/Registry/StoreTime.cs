namespace Jpki.Authority.Registry;

/// <summary>
/// Both stores keep instants with microsecond precision in UTC (PostgreSQL's <c>timestamptz</c> resolution); the
/// SQLite store writes them as integer microseconds since the Unix epoch. Values are truncated, never rounded, so
/// that what a store returns is exactly what it hashed into the audit chain.
/// </summary>
internal static class StoreTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>Truncates to whole microseconds, in UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>Microseconds since 1970-01-01T00:00:00Z (truncated).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    /// <summary>The instant <paramref name="microseconds"/> after the Unix epoch, in UTC.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * TicksPerMicrosecond), TimeSpan.Zero);
}
