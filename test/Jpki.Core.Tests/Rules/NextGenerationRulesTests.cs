using Jpki.Core.Identity;
using Jpki.Core.Rules;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Rules;

/// <summary>
/// The next-generation card's rules (JPKI-REFERENCE §14): certificates ten years, renewal from one year before expiry,
/// the card to the 10th birthday plus one month — at their boundary days, beside today's rules for the same input.
/// </summary>
public sealed class NextGenerationRulesTests
{
    private const CardGeneration Next = CardGeneration.NextGeneration;

    [Theory]
    [InlineData("2036-02-17", "2035-02-17")]
    [InlineData("2036-02-29", "2035-02-28")] // clamped: 2035 is a common year
    [InlineData("2037-02-28", "2036-02-28")]
    [InlineData("2036-03-01", "2035-03-01")]
    [InlineData("2036-12-31", "2035-12-31")]
    public void RenewalWindow_NextGeneration_OpensOneYearBefore(string expiry, string opens)
    {
        var window = RenewalWindow.For(D(expiry), Next);
        Assert.Equal((D(opens), D(expiry), Next), (window.Opens, window.Expiry, window.Generation));
    }

    [Theory]
    [InlineData("2036-02-17", "2035-02-16", "renewal-too-early")] // day before the window
    [InlineData("2036-02-17", "2035-02-17", null)]                // first day: one year before
    [InlineData("2036-02-17", "2035-11-16", null)]                // today's rule would still refuse this day
    [InlineData("2036-02-17", "2036-02-17", null)]
    [InlineData("2036-02-17", "2036-02-18", "renewal-after-expiry")]
    public void RenewalWindow_NextGeneration_CheckAtBoundaries(string expiry, string on, string? code)
    {
        var outcome = RenewalWindow.For(D(expiry), Next).Check(D(on));
        Assert.Equal(code, outcome.Code);
    }

    [Fact]
    public void RenewalWindow_SameDay_TodaysCardRefusesWhatNextGenerationAllows()
    {
        Assert.Equal(RenewalWindow.TooEarlyCode, RenewalWindow.For(D("2036-02-17")).Check(D("2035-11-16")).Code);
        Assert.True(RenewalWindow.For(D("2036-02-17"), Next).Check(D("2035-11-16")).IsAllowed);
    }

    [Fact]
    public void RenewalWindow_NextGenerationTooEarly_MessageSaysOneYear()
    {
        var outcome = RenewalWindow.For(D("2036-02-17"), Next).Check(D("2034-06-01"));
        Assert.Contains("one year before", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("2035-02-17", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-06-10", "2036-06-10")]
    [InlineData("2028-02-29", "2038-02-28")] // issued on a leap day: 民法143条2項, the last day of February
    [InlineData("2026-12-31", "2036-12-31")]
    public void CertificateValidity_NextGeneration_TenYearsFromIssuance(string issued, string expires)
    {
        var result = CertificateValidity.Compute(CertificateKind.Authentication, D("1980-02-17"), D(issued), cardExpiry: null, generation: Next).GetValueOrThrow();
        Assert.Equal(D(expires), result.ExpiresOn);
        Assert.Equal("years-10", result.DecidedByCode);
        Assert.Equal(Next, result.Generation);
        Assert.Equal(new DateTimeOffset(D(expires), new TimeOnly(23, 59, 59), TimeSpan.FromHours(9)), result.NotAfter);
        Assert.Equal(RenewalWindow.For(D(expires), Next), result.RenewalWindow);
    }

    [Fact]
    public void CertificateValidity_SameHolder_TodaysCardCountsBirthdaysNextGenerationTenYears()
    {
        var today = CertificateValidity.Compute(CertificateKind.Signature, D("1980-02-17"), D("2026-06-10"), D("2040-01-01")).GetValueOrThrow();
        var next = CertificateValidity.Compute(CertificateKind.Signature, D("1980-02-17"), D("2026-06-10"), D("2040-01-01"), generation: Next).GetValueOrThrow();
        Assert.Equal((D("2031-02-17"), "birthday-5"), (today.ExpiresOn, today.DecidedByCode));
        Assert.Equal((D("2036-06-10"), "years-10"), (next.ExpiresOn, next.DecidedByCode));
    }

    [Theory]
    [InlineData("2036-06-09", "2036-06-09", "card")]     // the card ends the day before ten years
    [InlineData("2036-06-10", "2036-06-10", "years-10")] // a tie names the ten years
    [InlineData("2036-06-11", "2036-06-10", "years-10")]
    public void CertificateValidity_NextGeneration_CappedByCard(string card, string expires, string decidedBy)
    {
        var result = CertificateValidity.Compute(CertificateKind.Authentication, D("1980-02-17"), D("2026-06-10"), D(card), generation: Next).GetValueOrThrow();
        Assert.Equal((D(expires), decidedBy), (result.ExpiresOn, result.DecidedByCode));
    }

    [Fact]
    public void CertificateValidity_NextGeneration_SignatureCappedByAuthentication()
    {
        var result = CertificateValidity.Compute(CertificateKind.Signature, D("1980-02-17"), D("2026-06-10"), D("2040-01-01"), D("2030-01-01"), generation: Next).GetValueOrThrow();
        Assert.Equal((D("2030-01-01"), "auth-certificate"), (result.ExpiresOn, result.DecidedByCode));
    }

    [Fact]
    public void CertificateValidity_NextGenerationRenewalInWindow_NoEarlyRenewalBonus()
    {
        // Today's card: renewed inside the 3-month window → the 6th birthday. The next generation: ten years, no bonus.
        Assert.True(CertificateValidity.IsEarlyRenewal(D("2030-12-01"), D("2031-02-17")));
        Assert.False(CertificateValidity.IsEarlyRenewal(D("2030-12-01"), D("2031-02-17"), Next));
        var renewed = CertificateValidity.Compute(CertificateKind.Authentication, D("1980-02-17"), D("2035-06-10"), null, previousExpiry: D("2036-06-10"), generation: Next).GetValueOrThrow();
        Assert.Equal((D("2045-06-10"), false, "years-10"), (renewed.ExpiresOn, renewed.EarlyRenewal, renewed.DecidedByCode));
    }

    [Fact]
    public void CertificateValidity_NextGenerationCardExpired_Refused()
    {
        var outcome = CertificateValidity.Compute(CertificateKind.Authentication, D("1980-02-17"), D("2026-06-10"), D("2026-06-09"), generation: Next);
        Assert.Equal(CertificateValidity.CardExpiredCode, outcome.Code);
    }

    [Fact]
    public void CertificateValidity_UnknownGeneration_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CertificateValidity.Compute(CertificateKind.Authentication, D("1980-02-17"), D("2026-06-10"), null, generation: (CardGeneration)7));
        Assert.Equal("generation", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => RenewalWindow.For(D("2030-01-01"), (CardGeneration)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => CardValidity.Compute(D("1980-02-17"), D("2026-06-01"), D("2026-06-10"), (CardGeneration)7));
    }

    [Theory]
    [InlineData("1980-02-17", "2036-03-17", 10)] // adult: 10th birthday 2036-02-17 + 1 month
    [InlineData("1980-01-31", "2036-02-29", 10)] // 10th birthday 2036-01-31 + 1 month, clamped to the leap day
    [InlineData("2015-10-10", "2030-11-10", 5)]  // a minor (10 on the application day): 5th birthday + 1 month [I]
    public void CardValidity_NextGeneration_BirthdayPlusOneMonth(string born, string expires, int birthdays)
    {
        var result = CardValidity.Compute(D(born), D("2026-06-01"), D("2026-06-10"), Next);
        Assert.Equal((D(expires), birthdays, Next), (result.ExpiresOn, result.BirthdaysCounted, result.Generation));
    }

    [Fact]
    public void CardValidity_SameHolder_NextGenerationOneMonthLater()
    {
        var today = CardValidity.Compute(D("1980-02-17"), D("2026-06-01"), D("2026-06-10"));
        var next = CardValidity.Compute(D("1980-02-17"), D("2026-06-01"), D("2026-06-10"), Next);
        Assert.Equal(D("2036-02-17"), today.ExpiresOn);
        Assert.Equal(today.ExpiresOn.AddMonths(1), next.ExpiresOn);
    }
}
