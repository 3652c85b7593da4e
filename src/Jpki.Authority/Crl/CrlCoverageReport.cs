namespace Jpki.Authority.Crl;

/// <summary>The outcome of a coverage check.</summary>
/// <param name="Entries">Revoked, unexpired certificates in the checked range.</param>
/// <param name="Problems">What is wrong, one sentence each (at most 20); empty when every entry is covered exactly once.</param>
public sealed record CrlCoverageReport(long Entries, IReadOnlyList<string> Problems)
{
    /// <summary>True when nothing is wrong.</summary>
    public bool Covered => Problems.Count == 0;
}
