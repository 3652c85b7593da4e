using Jpki.Core.Office;
using Jpki.Core.Rules;
using Jpki.Server.Counter;

namespace Jpki.Server.Tests.Counter;

/// <summary>The clerk's Japanese sentence takes its numbers and dates from the refusal's data, never from the English sentence.</summary>
public sealed class RefusalTextTests
{
    [Fact]
    public void CardPinWrong_TriesLeftFromData_NotFromTheEnglishSentence()
    {
        var refusal = new Refusal("card-pin-wrong", "The card PIN is wrong; 9 tries left.") { Data = new RefusalData { TriesLeft = 1 } };
        Assert.Equal("カードの暗証番号が違います（残り 1 回）。", RefusalText.For(refusal));
        Assert.Equal("カードの暗証番号が違います。", RefusalText.For(refusal with { Data = null }));
    }

    [Fact]
    public void OfficeClosed_NextOpeningFromData()
    {
        var next = new DateTimeOffset(2026, 11, 30, 8, 30, 0, TimeSpan.FromHours(9));
        var refusal = new Refusal(OfficeHoursVerdict.ClosedCode, "Closed.") { Data = new RefusalData { NextOpening = next, ClosedReason = OfficeClosedReason.NationalHoliday } };
        Assert.Equal("現在は窓口の受付時間外です（祝日）。次の受付は2026年11月30日（月）8:30からです。", RefusalText.For(refusal));
        Assert.Equal("現在は窓口の受付時間外です。", RefusalText.For(refusal with { Data = null }));
    }
}
