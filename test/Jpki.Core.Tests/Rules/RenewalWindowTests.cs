using FsCheck.Xunit;
using Jpki.Core.Rules;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Rules;

public sealed class RenewalWindowTests
{
    [Theory]
    [InlineData("2030-02-17", "2029-11-17")]
    [InlineData("2030-05-31", "2030-02-28")] // clamped to the end of February
    [InlineData("2028-05-31", "2028-02-29")] // leap year
    [InlineData("2030-05-30", "2030-02-28")]
    [InlineData("2030-05-28", "2030-02-28")]
    [InlineData("2030-03-31", "2029-12-31")]
    [InlineData("2030-07-31", "2030-04-30")]
    [InlineData("2030-12-31", "2030-09-30")]
    [InlineData("2030-01-31", "2029-10-31")]
    [InlineData("2030-03-01", "2029-12-01")]
    public void For_Expiry_OpensThreeMonthsBeforeClamped(string expiry, string opens)
    {
        var window = RenewalWindow.For(D(expiry));
        Assert.Equal(D(opens), window.Opens);
        Assert.Equal(D(expiry), window.Expiry);
    }

    public static TheoryData<string, string, string?> CheckCases => new()
    {
        { "2030-02-17", "2029-11-16", "renewal-too-early" }, // day before the window
        { "2030-02-17", "2029-11-17", null },                 // first day
        { "2030-02-17", "2030-01-01", null },
        { "2030-02-17", "2030-02-17", null },                 // last day = expiry day
        { "2030-02-17", "2030-02-18", "renewal-after-expiry" },
        { "2030-02-17", "2025-01-01", "renewal-too-early" },
        { "2030-05-31", "2030-02-27", "renewal-too-early" },
        { "2030-05-31", "2030-02-28", null },
        { "2028-05-31", "2028-02-28", "renewal-too-early" },
        { "2028-05-31", "2028-02-29", null },
        { "2030-05-31", "2030-05-31", null },
        { "2030-05-31", "2030-06-01", "renewal-after-expiry" },
    };

    [Theory]
    [MemberData(nameof(CheckCases))]
    public void Check_RequestDate_AllowsOnlyInsideWindow(string expiry, string on, string? code)
    {
        var window = RenewalWindow.For(D(expiry));
        var outcome = window.Check(D(on));
        Assert.Equal(code, outcome.Code);
        Assert.Equal(code is null, outcome.IsAllowed);
        Assert.Equal(code is null, window.Contains(D(on)));
        if (code is null)
        {
            Assert.Equal(window, outcome.Value);
        }
    }

    [Fact]
    public void Check_TooEarly_MessageNamesFirstPossibleDate()
    {
        var outcome = RenewalWindow.For(D("2030-05-31")).Check(D("2030-01-10"));
        Assert.Equal(RenewalWindow.TooEarlyCode, outcome.Code);
        Assert.Contains("2030-02-28", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AfterExpiry_MessageAsksForNewIssuance()
    {
        var outcome = RenewalWindow.For(D("2030-05-31")).Check(D("2030-06-01"));
        Assert.Equal(RenewalWindow.AfterExpiryCode, outcome.Code);
        Assert.Contains("expired on 2030-05-31", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("new issuance", outcome.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 500)]
    public bool For_AnyExpiry_WindowIsAboutThreeMonthsAndConsistent(int expirySeed, int onSeed)
    {
        var expiry = Pick(expirySeed, D("1990-01-01"), 100 * 366);
        var on = Pick(onSeed, expiry.AddDays(-200), 400);
        var window = RenewalWindow.For(expiry);
        var length = expiry.DayNumber - window.Opens.DayNumber;
        return length is >= 89 and <= 92
            && window.Opens.AddMonths(3) <= expiry
            && window.Check(on).IsAllowed == (on >= window.Opens && on <= expiry)
            && window.Contains(on) == window.Check(on).IsAllowed;
    }
}
