namespace Jpki.Municipality.Reports;

/// <summary>How many times an action ended with an outcome.</summary>
/// <param name="Action">The action verb.</param>
/// <param name="Outcome"><c>ok</c>, a refusal code or <c>failed</c>.</param>
/// <param name="Count">How many.</param>
public sealed record DailyReportLine(string Action, string Outcome, int Count);
