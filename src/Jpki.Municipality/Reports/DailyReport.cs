namespace Jpki.Municipality.Reports;

/// <summary>The counts and fees of one Japan day.</summary>
/// <param name="Date">The Japan day.</param>
/// <param name="Lines">Count per action and outcome, sorted.</param>
/// <param name="CertificatesIssued">Certificates issued (in person and by proxy).</param>
/// <param name="FeesYen">Fees taken.</param>
public sealed record DailyReport(DateOnly Date, IReadOnlyList<DailyReportLine> Lines, int CertificatesIssued, int FeesYen);
