using Jpki.Municipality.Residents;

namespace Jpki.Fuzz;

/// <summary>
/// The counter's resident CSV import (<see cref="ResidentCsv.Parse"/>). Contract: always a
/// <see cref="CsvImportResult"/>; a refused file has at least one row error with a code and no residents; nothing throws.
/// </summary>
public sealed class CsvTarget : IFuzzTarget
{
    /// <summary>The target's name.</summary>
    public const string TargetName = "csv";

    private static readonly DateOnly Today = new(2026, 11, 25);

    /// <inheritdoc/>
    public string Name => TargetName;

    /// <inheritdoc/>
    public string Contract => "resident CSV bytes to ResidentCsv.Parse; row errors are the bad-input answer, nothing throws";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        var result = ResidentCsv.Parse(input, Today);
        if (result is null || (!result.Accepted && (result.Residents.Count != 0 || result.Errors.Any(e => string.IsNullOrEmpty(e.Code)))))
        {
            throw new FuzzFindingException("A refused CSV returned residents, or a row error without a code.");
        }
    }
}
