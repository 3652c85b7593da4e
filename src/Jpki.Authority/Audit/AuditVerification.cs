namespace Jpki.Authority.Audit;

/// <summary>The verdict of walking the audit chain.</summary>
/// <param name="IsIntact">True when every entry links to its predecessor and its content matches its hash.</param>
/// <param name="EntriesChecked">How many entries were read.</param>
/// <param name="FirstBrokenSequence">The sequence number of the first entry that does not verify, or null.</param>
/// <param name="Problem">What is wrong there (changed, removed, reordered), or null.</param>
public sealed record AuditVerification(bool IsIntact, long EntriesChecked, long? FirstBrokenSequence, string? Problem)
{
    /// <summary>The machine code of <see cref="Problem"/>, or null when intact.</summary>
    public AuditProblem? Kind { get; init; }

    /// <summary>The head of the chain as read (null when empty or when the walk stopped at a break).</summary>
    public AuditHead? Head { get; init; }
}
