namespace Jpki.Authority.Audit;

/// <summary>
/// An audit log whose head can be recorded outside the database and checked later, so that cutting off the newest
/// entries is detected too (a hash chain alone cannot show a truncated tail).
/// </summary>
public interface IAnchoredAuditLog : IAuditLog
{
    /// <summary>The newest entry's sequence number and hash, or null when the log is empty.</summary>
    Task<AuditHead?> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Walks the chain like <see cref="IAuditLog.VerifyAsync"/> and, when <paramref name="expectedHead"/> is given,
    /// also checks that the chain reaches it: an entry with that sequence number exists and carries that hash.
    /// </summary>
    Task<AuditVerification> VerifyAsync(AuditHead? expectedHead, CancellationToken cancellationToken);
}
