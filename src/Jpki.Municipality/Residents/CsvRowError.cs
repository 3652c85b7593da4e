namespace Jpki.Municipality.Residents;

/// <summary>Why a line of a resident CSV file was rejected.</summary>
/// <param name="Line">1-based line number in the file (the header is line 1).</param>
/// <param name="Code">Stable code, see <see cref="ResidentCsv"/>.</param>
/// <param name="Message">A Japanese sentence for the clerk (names the field, never echoes more than the field name or the id).</param>
public sealed record CsvRowError(int Line, string Code, string Message);
