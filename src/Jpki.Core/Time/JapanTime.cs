namespace Jpki.Core.Time;

/// <summary>
/// Japan Standard Time (UTC+09:00, no daylight saving) conversions. Every date that matters to a citizen —
/// issuance day, birthdays, expiry day, office hours — is a Japan date; certificates end at 23:59:59 JST of
/// their last day (JPKI-REFERENCE §6.2 "Validity encoding").
/// </summary>
public static class JapanTime
{
    /// <summary>The fixed offset of Japan Standard Time.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    /// <summary>The instant expressed in JST.</summary>
    public static DateTimeOffset ToJst(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The Japan calendar date on which <paramref name="instant"/> falls.</summary>
    public static DateOnly ToJapanDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToJst(instant).DateTime);

    /// <summary>The Japan wall-clock time of day of <paramref name="instant"/>.</summary>
    public static TimeOnly ToJapanTimeOfDay(DateTimeOffset instant) => TimeOnly.FromDateTime(ToJst(instant).DateTime);

    /// <summary>00:00:00 JST at the start of <paramref name="date"/>.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>23:59:59 JST of <paramref name="date"/>, the notAfter of a certificate whose last day is that date.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) => new(date.ToDateTime(new TimeOnly(23, 59, 59)), Offset);

    /// <summary>The instant of <paramref name="time"/> on Japan date <paramref name="date"/>.</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time) => new(date.ToDateTime(time), Offset);

    /// <summary>Today's Japan date according to <paramref name="clock"/>.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return ToJapanDate(clock.GetUtcNow());
    }
}
