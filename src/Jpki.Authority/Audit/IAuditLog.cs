namespace Jpki.Authority.Audit;

/// <summary>
/// The tamper-evident log of every CA action: each stored entry carries the SHA-256 of its predecessor's hash and its
/// own content, so a changed, removed or reordered entry breaks the chain.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends <paramref name="entry"/> durably and returns its sequence number (1-based, gap-free).</summary>
    Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Walks the whole chain and reports the first break, if any.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
}
