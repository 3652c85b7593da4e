using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Benchmarks.Authority;

/// <summary>
/// An in-memory registry for the CA-side benchmarks (the stores are measured by the registry's own benchmarks), with an
/// optional synthetic revoked-entry stream of any length that holds nothing in memory.
/// </summary>
public sealed class BenchRegistry(long syntheticRevoked = 0) : ICertificateRegistry
{
    private readonly ConcurrentDictionary<string, CertificateRecord> _records = new(StringComparer.Ordinal);
    private long _crl;

    public int Count => _records.Count;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AddAsync(CertificateRecord record, CancellationToken cancellationToken)
        => _records.TryAdd(record.SerialHex, record) ? Task.CompletedTask : throw new DuplicateSerialException("duplicate");

    public Task<CertificateRecord?> FindBySerialAsync(string serialHex, CancellationToken cancellationToken)
        => Task.FromResult(_records.TryGetValue(serialHex, out var r) ? r : null);

    public Task<IReadOnlyList<CertificateRecord>> FindByCardAsync(string cardId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<CertificateRecord>>(_records.Values.Where(r => r.CardId == cardId).ToList());

    public Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<CertificateRecord>>(_records.Values.Where(r => r.HolderId == holderId).ToList());

    public Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, CancellationToken cancellationToken)
    {
        if (!_records.TryGetValue(serialHex, out var r))
        {
            return Task.FromResult(RevokeResult.NotFound);
        }

        _records[serialHex] = r with { Revocation = new RevocationInfo(revokedAt, reason, recordedAt) };
        return Task.FromResult(RevokeResult.Revoked);
    }

    /// <summary>Yields <c>syntheticRevoked</c> entries with 16-octet serials, generated one at a time.</summary>
    public IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(CertificateKind kind, DateTimeOffset at, CancellationToken cancellationToken)
        => StreamRevokedAsync(new RevokedQuery(kind, at), cancellationToken);

    /// <summary>The synthetic entries (all in the full CRL: partition 0, sequence 1…n).</summary>
    public async IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(RevokedQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        if (query.Partition is > 0)
        {
            yield break;
        }

        for (long i = 0; i < syntheticRevoked; i++)
        {
            if ((query.SequenceAfter is { } after && i + 1 <= after) || (query.SequenceUpTo is { } upTo && i + 1 > upTo))
            {
                continue;
            }

            yield return new RevokedEntry("4A00000000000000" + i.ToString("X16", System.Globalization.CultureInfo.InvariantCulture), query.NotAfterFrom.AddDays(-1 - (i % 1000)), (RevocationReason)(i % 6), 0, i + 1);
        }
    }

    public Task<long> GetRevocationCursorAsync(CancellationToken cancellationToken) => Task.FromResult(syntheticRevoked);

    public Task<IReadOnlyList<RevocationChange>> ReadRevocationsAfterAsync(long cursor, int limit, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<RevocationChange>>([]);

    public Task<long> NextCrlNumberAsync(CertificateKind kind, CancellationToken cancellationToken) => Task.FromResult(Interlocked.Increment(ref _crl));
}
