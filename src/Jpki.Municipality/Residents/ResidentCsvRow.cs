namespace Jpki.Municipality.Residents;

/// <summary>One data line of a resident CSV file: the resident, or why the line was rejected.</summary>
/// <param name="Line">1-based line number in the file (the header is line 1).</param>
/// <param name="Resident">The resident the line describes; null when <see cref="Error"/> is set.</param>
/// <param name="Error">Why the line was rejected; null when it is good.</param>
public sealed record ResidentCsvRow(int Line, Resident? Resident, CsvRowError? Error);
