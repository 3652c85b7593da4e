using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Fakes;

/// <summary>Open 08:30–17:00 JST every day (holidays are the real calendar's business, tested on feat/charset).</summary>
public sealed class FakeOffice : IOfficeHours
{
    public RuleOutcome<DateTimeOffset> Check(DateTimeOffset at)
    {
        var time = JapanTime.ToJapanTimeOfDay(at);
        return time >= new TimeOnly(8, 30) && time < new TimeOnly(17, 0)
            ? RuleOutcome<DateTimeOffset>.Allow(at)
            : RuleOutcome<DateTimeOffset>.Refuse("office-closed", "The counter is closed now; it opens at 08:30.");
    }
}
