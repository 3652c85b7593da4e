namespace Jpki.Authority.Audit;

/// <summary>One stored audit entry, as read back for verification.</summary>
internal sealed record AuditRow(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Subject,
    string Details,
    byte[] PreviousHash,
    byte[] Hash);
