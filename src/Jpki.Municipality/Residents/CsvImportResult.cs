namespace Jpki.Municipality.Residents;

/// <summary>
/// The outcome of reading a resident CSV file held in memory (<see cref="ResidentCsv.Parse"/>): either every row is good
/// and <see cref="Residents"/> holds them, or <see cref="Errors"/> lists every bad line and no resident is returned.
/// </summary>
/// <param name="Residents">The parsed residents (empty when rejected).</param>
/// <param name="Errors">Every bad line, in file order.</param>
public sealed record CsvImportResult(IReadOnlyList<Resident> Residents, IReadOnlyList<CsvRowError> Errors)
{
    /// <summary>True when the file was accepted.</summary>
    public bool Accepted => Errors.Count == 0;
}
