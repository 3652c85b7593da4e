using Jpki.Core.Identity;
using Jpki.Core.Rules;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Rules;

public sealed class FeesTests
{
    [Theory]
    [InlineData(CardKind.MyNumberCard, "2025-10-27", "2035-02-17", 0, "free-my-number-card")]
    [InlineData(CardKind.MyNumberCard, "2035-02-17", "2035-02-17", 0, "free-my-number-card")] // last day of the card
    [InlineData(CardKind.MyNumberCard, "2035-02-18", "2035-02-17", 200, "outside-card-validity")]
    [InlineData(CardKind.JukiCard, "2015-12-31", "2020-01-01", 200, "juki-card")]
    [InlineData(CardKind.JukiCard, "2010-06-01", "2012-01-01", 200, "juki-card")]
    public void For_Cases_FreeOnlyOnValidMyNumberCard(CardKind card, string issued, string cardExpiry, int yen, string code)
    {
        var fee = Fees.For(card, D(issued), D(cardExpiry));
        Assert.Equal(yen, fee.Yen);
        Assert.Equal(code, fee.Code);
        Assert.False(string.IsNullOrWhiteSpace(fee.Reason));
        Assert.Contains(yen == 0 ? "Free" : "200 yen", fee.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void For_UnknownCard_Throws()
        => Assert.Equal("card", Assert.Throws<ArgumentOutOfRangeException>(
            () => Fees.For((CardKind)9, D("2025-01-01"), D("2030-01-01"))).ParamName);
}
