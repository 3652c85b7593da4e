namespace Jpki.Municipality.Residents;

/// <summary>
/// The outcome of a register import: every line good and all residents stored, or nothing stored and the bad lines
/// listed (the first <see cref="ResidentRegistry.MaxReportedErrors"/>; <see cref="ErrorCount"/> counts them all).
/// </summary>
/// <param name="Imported">Residents stored (0 when rejected).</param>
/// <param name="Errors">The bad lines, in file order, each with a Japanese sentence.</param>
/// <param name="ErrorCount">All bad lines, also those beyond <see cref="Errors"/>.</param>
/// <param name="Encoding">The encoding the file was read with.</param>
/// <param name="Lines">Lines read, the header included.</param>
public sealed record ResidentImportResult(int Imported, IReadOnlyList<CsvRowError> Errors, int ErrorCount, CsvTextEncoding Encoding, int Lines)
{
    /// <summary>True when the file was imported.</summary>
    public bool Accepted => ErrorCount == 0;
}
