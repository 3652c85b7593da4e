namespace Jpki.Municipality.Residents;

/// <summary>
/// The outcome of reading (and, for <see cref="ResidentRegistry.ImportCsvAsync"/>, importing) a resident CSV file:
/// either every row is good and <see cref="Residents"/> holds them, or <see cref="Errors"/> lists every bad line
/// and nothing was imported.
/// </summary>
/// <param name="Residents">The parsed residents (empty when rejected).</param>
/// <param name="Errors">Every bad line, in file order.</param>
public sealed record CsvImportResult(IReadOnlyList<Resident> Residents, IReadOnlyList<CsvRowError> Errors)
{
    /// <summary>True when the file was accepted.</summary>
    public bool Accepted => Errors.Count == 0;
}
