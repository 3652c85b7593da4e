namespace Jpki.Municipality.Reports;

/// <summary>The daily close (日次締め) of a business day: what it counted and the seal of the journal at that moment.</summary>
/// <param name="Date">The business day.</param>
/// <param name="ClosedAt">When.</param>
/// <param name="StaffId">The supervisor.</param>
/// <param name="CertificatesIssued">Certificates issued that day.</param>
/// <param name="FeesYen">Fees charged that day.</param>
/// <param name="Entries">Journal entries of the day.</param>
/// <param name="LastSequence">The journal's last entry number when the day was closed (0 for an empty journal).</param>
/// <param name="HeadHash">The journal's chain hash at <paramref name="LastSequence"/>, hex (empty for an empty journal).</param>
public sealed record DayClose(DateOnly Date, DateTimeOffset ClosedAt, string StaffId, int CertificatesIssued, int FeesYen, int Entries = 0, long LastSequence = 0, string HeadHash = "");
