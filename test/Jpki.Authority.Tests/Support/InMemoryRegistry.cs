using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Jpki.Authority.Contracts;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Support;

/// <summary>A registry in a dictionary, for unit tests of the CA (the stores have their own contract suite).</summary>
public sealed class InMemoryRegistry : ICertificateRegistry, IIssuanceRequestLog
{
    private readonly ConcurrentDictionary<string, IssuanceRefusal> _refusals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CertificateRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CertificateKind, long> _crlNumbers = new();
    private readonly object _gate = new();
    private long _revocations;
    private readonly ConcurrentDictionary<string, long> _sequences = new(StringComparer.Ordinal);

    public int Count => _records.Count;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AddAsync(CertificateRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (record.Request is { } request && _records.Values.Any(r => r.Request?.RequestId == request.RequestId))
            {
                throw new DuplicateIssuanceRequestException("duplicate request id");
            }

            if (!_records.TryAdd(record.SerialHex, record))
            {
                throw new DuplicateSerialException("duplicate serial");
            }
        }

        return Task.CompletedTask;
    }

    public Task<CertificateRecord?> FindByRequestIdAsync(string requestId, CancellationToken cancellationToken)
        => Task.FromResult(_records.Values.FirstOrDefault(r => r.Request?.RequestId == requestId));

    public Task<IssuanceRefusal?> FindRefusalAsync(string requestId, CancellationToken cancellationToken)
        => Task.FromResult(_refusals.TryGetValue(requestId, out var r) ? r : null);

    public Task<IssuanceRefusal> RecordRefusalAsync(IssuanceRefusal refusal, CancellationToken cancellationToken)
        => Task.FromResult(_refusals.GetOrAdd(refusal.Request.RequestId, refusal));

    public Task<CertificateRecord?> FindBySerialAsync(string serialHex, CancellationToken cancellationToken)
        => Task.FromResult(_records.TryGetValue(serialHex, out var r) ? r : null);

    public Task<IReadOnlyList<CertificateRecord>> FindByCardAsync(string cardId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<CertificateRecord>>(_records.Values.Where(r => r.CardId == cardId).OrderBy(r => r.IssuedAt).ToList());

    public Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<CertificateRecord>>(_records.Values.Where(r => r.HolderId == holderId).OrderBy(r => r.IssuedAt).ToList());

    public Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(serialHex, out var r))
            {
                return Task.FromResult(RevokeResult.NotFound);
            }

            if (r.Revocation is not null)
            {
                return Task.FromResult(RevokeResult.AlreadyRevoked);
            }

            _records[serialHex] = r with { Revocation = new RevocationInfo(revokedAt, reason, recordedAt) };
            _sequences[serialHex] = ++_revocations;
            return Task.FromResult(RevokeResult.Revoked);
        }
    }

    public IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(CertificateKind kind, DateTimeOffset at, CancellationToken cancellationToken)
        => StreamRevokedAsync(new RevokedQuery(kind, at), cancellationToken);

    public async IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(RevokedQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<RevokedEntry> entries;
        lock (_gate)
        {
            entries = _records.Values
                .Where(r => r.Kind == query.Kind && r.Revocation is not null && r.NotAfter >= query.NotAfterFrom)
                .Where(r => query.Partition is null || r.CrlPartition == query.Partition)
                .Select(r => (Record: r, Sequence: _sequences.GetValueOrDefault(r.SerialHex)))
                .Where(x => (query.SequenceAfter is null || x.Sequence > query.SequenceAfter) && (query.SequenceUpTo is null || x.Sequence <= query.SequenceUpTo))
                .OrderBy(x => query.OrderByPartition ? x.Record.CrlPartition : 0)
                .ThenBy(x => x.Record.SerialHex.Length).ThenBy(x => x.Record.SerialHex, StringComparer.Ordinal)
                .Select(x => new RevokedEntry(x.Record.SerialHex, x.Record.Revocation!.RevokedAt, x.Record.Revocation.Reason, x.Record.CrlPartition, x.Sequence))
                .ToList();
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<long> GetRevocationCursorAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_revocations);
        }
    }

    public Task<IReadOnlyList<RevocationChange>> ReadRevocationsAfterAsync(long cursor, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<RevocationChange> changes = [.. _sequences
                .Where(s => s.Value > cursor)
                .OrderBy(s => s.Value)
                .Take(limit)
                .Select(s => new RevocationChange(s.Value, s.Key, _records[s.Key].Kind, _records[s.Key].CrlPartition))];
            return Task.FromResult(changes);
        }
    }

    public Task<long> NextCrlNumberAsync(CertificateKind kind, CancellationToken cancellationToken)
        => Task.FromResult(_crlNumbers.AddOrUpdate(kind, 1, (_, n) => n + 1));
}
