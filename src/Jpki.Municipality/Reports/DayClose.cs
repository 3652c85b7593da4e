namespace Jpki.Municipality.Reports;

/// <summary>The daily close (日次締め) of one Japan day, done once by a supervisor.</summary>
/// <param name="Date">The Japan day closed.</param>
/// <param name="ClosedAt">When.</param>
/// <param name="StaffId">The supervisor.</param>
/// <param name="CertificatesIssued">Certificates issued that day, as the report counted them at the close.</param>
/// <param name="FeesYen">Fees taken that day, as counted at the close.</param>
public sealed record DayClose(DateOnly Date, DateTimeOffset ClosedAt, string StaffId, int CertificatesIssued, int FeesYen);
