using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Jpki.Authority.Contracts;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Support;

/// <summary>A registry in a dictionary, for unit tests of the CA (the stores have their own contract suite).</summary>
public sealed class InMemoryRegistry : ICertificateRegistry
{
    private readonly ConcurrentDictionary<string, CertificateRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CertificateKind, long> _crlNumbers = new();
    private readonly object _gate = new();

    public int Count => _records.Count;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AddAsync(CertificateRecord record, CancellationToken cancellationToken)
    {
        if (!_records.TryAdd(record.SerialHex, record))
        {
            throw new DuplicateSerialException("duplicate serial");
        }

        return Task.CompletedTask;
    }

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
            return Task.FromResult(RevokeResult.Revoked);
        }
    }

    public async IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(CertificateKind kind, DateTimeOffset at, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entries = _records.Values
            .Where(r => r.Kind == kind && r.Revocation is not null && r.NotAfter >= at)
            .OrderBy(r => r.SerialHex.Length).ThenBy(r => r.SerialHex, StringComparer.Ordinal)
            .Select(r => new RevokedEntry(r.SerialHex, r.Revocation!.RevokedAt, r.Revocation.Reason))
            .ToList();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<long> NextCrlNumberAsync(CertificateKind kind, CancellationToken cancellationToken)
        => Task.FromResult(_crlNumbers.AddOrUpdate(kind, 1, (_, n) => n + 1));
}
