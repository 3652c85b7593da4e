using Jpki.Core.Rules;

namespace Jpki.Municipality.Issuance;

/// <summary>Whether the office is open (implemented over <c>Jpki.Core.Office.OfficeCalendar</c>).</summary>
public interface IOfficeHours
{
    /// <summary>Allowed when the counter is open at <paramref name="at"/>; otherwise refused with code <c>office-closed</c> and a sentence.</summary>
    RuleOutcome<DateTimeOffset> Check(DateTimeOffset at);
}
