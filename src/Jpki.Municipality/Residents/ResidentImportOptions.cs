namespace Jpki.Municipality.Residents;

/// <summary>How <see cref="ResidentRegistry.ImportCsvAsync(Stream, Staff.StaffAccount, ResidentImportOptions, CancellationToken)"/> reads the file.</summary>
/// <param name="Encoding">The file's encoding, or detected (<see cref="CsvTextEncoding.Auto"/>).</param>
/// <param name="Progress">Told about every 1,000 lines and at the end.</param>
public sealed record ResidentImportOptions(CsvTextEncoding Encoding = CsvTextEncoding.Auto, IProgress<ResidentImportProgress>? Progress = null);
