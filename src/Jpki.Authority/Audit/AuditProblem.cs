namespace Jpki.Authority.Audit;

/// <summary>What is wrong at the first broken entry of the audit chain.</summary>
public enum AuditProblem
{
    /// <summary>The entry's content (time, actor, action, subject, details) does not match its hash.</summary>
    Changed = 1,

    /// <summary>Entries are missing: a gap in the sequence numbers.</summary>
    Removed = 2,

    /// <summary>The entry holds content that belongs at another sequence number.</summary>
    Reordered = 3,

    /// <summary>
    /// The entry verifies on its own but does not link to its predecessor: the predecessor was rewritten with a
    /// recomputed hash, or entries were removed and the chain stitched together again.
    /// </summary>
    BrokenLink = 4,

    /// <summary>The chain ends before, or differs at, the head recorded outside the database.</summary>
    Truncated = 5,

    /// <summary>
    /// The chain is intact but the registry disagrees with it: a certificate the chain records as revoked is not revoked (or
    /// gone), one it records as issued is gone, or a row (or its revocation) has no entry — rows changed or deleted beside the log.
    /// </summary>
    RegistryDisagrees = 6,
}
