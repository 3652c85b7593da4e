using Jpki.Authority.Audit;

namespace Jpki.Authority.Tests.Support;

/// <summary>An audit log in a list, for unit tests.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToList();
            }
        }
    }

    public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.Add(entry);
            return Task.FromResult((long)_entries.Count);
        }
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
        => Task.FromResult(new AuditVerification(true, Entries.Count, null, null));
}
