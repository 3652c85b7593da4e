using Jpki.Core.Time;
using Microsoft.Extensions.Time.Testing;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Time;

public sealed class JapanTimeTests
{
    [Theory]
    [InlineData("2025-02-16T14:59:59Z", "2025-02-16")]
    [InlineData("2025-02-16T15:00:00Z", "2025-02-17")]
    [InlineData("2025-12-31T15:00:00Z", "2026-01-01")]
    [InlineData("2025-02-17T08:59:59+09:00", "2025-02-17")]
    [InlineData("2025-02-16T23:00:00-05:00", "2025-02-17")]
    public void ToJapanDate_Instant_UsesJst(string instant, string expected)
        => Assert.Equal(D(expected), JapanTime.ToJapanDate(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void EndOfDay_IsLastSecondInJst()
    {
        var end = JapanTime.EndOfDay(D("2030-02-17"));
        Assert.Equal(new DateTimeOffset(2030, 2, 17, 14, 59, 59, TimeSpan.Zero), end);
        Assert.Equal(D("2030-02-17"), JapanTime.ToJapanDate(end));
        Assert.Equal(D("2030-02-18"), JapanTime.ToJapanDate(end.AddSeconds(1)));
        Assert.Equal(new DateTimeOffset(2030, 2, 16, 15, 0, 0, TimeSpan.Zero), JapanTime.StartOfDay(D("2030-02-17")));
    }

    [Fact]
    public void Today_FakeClock_GivesJapanDate()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 14, 59, 59, TimeSpan.Zero));
        Assert.Equal(D("2026-11-25"), JapanTime.Today(clock));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(D("2026-11-26"), JapanTime.Today(clock));
    }

    [Fact]
    public void Today_NullClock_Throws()
        => Assert.Equal("clock", Assert.Throws<ArgumentNullException>(() => JapanTime.Today(null!)).ParamName);
}
