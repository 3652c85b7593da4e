using Jpki.Authority.Audit;

namespace Jpki.Benchmarks.Authority;

/// <summary>Counts entries and keeps none (the stores' audit cost is measured with the stores).</summary>
public sealed class NullAuditLog : IAuditLog
{
    private long _count;

    public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => Task.FromResult(Interlocked.Increment(ref _count));

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => Task.FromResult(new AuditVerification(true, _count, null, null));
}
