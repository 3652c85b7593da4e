using System.Collections.Concurrent;
using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Core.Identity;

namespace Jpki.Authority.Registry;

/// <summary>
/// The publication store of a registry that has none of its own (an in-memory registry in tests, a benchmark's): the
/// state lives in this process only, the lease is always granted and changes are found by polling the registry's
/// revocation sequence. Not for several processes — the SQLite and PostgreSQL stores are.
/// </summary>
public sealed class LocalPublicationStore : IRevocationPublicationStore
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly ICertificateRegistry _registry;
    private readonly object _gate = new();
    private readonly Dictionary<CertificateKind, CrlPublicationState> _publications = [];
    private readonly ConcurrentDictionary<(CertificateKind, long, int, bool), byte[]> _documents = new();
    private readonly ConcurrentDictionary<(string, OcspCertIdHash), StoredOcspResponse> _ocsp = new();
    private long _publicationMark;

    /// <summary>Keeps the publication state of <paramref name="registry"/> in memory.</summary>
    public LocalPublicationStore(ICertificateRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <inheritdoc />
    public Task<CrlPublicationState?> GetCrlPublicationAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_publications.GetValueOrDefault(kind));
        }
    }

    /// <inheritdoc />
    public async Task<bool> PublishCrlsAsync(CertificateKind kind, bool delta, long number, long sequence, long? baseNumber, IReadOnlyList<CrlDocumentFile> documents, DateTimeOffset publishedAt, TimeSpan buildTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var bytes = new List<(CrlDocumentInfo Info, byte[] Der)>();
        foreach (var document in documents)
        {
            bytes.Add((document.Info, await File.ReadAllBytesAsync(document.Path, cancellationToken).ConfigureAwait(false)));
        }

        lock (_gate)
        {
            var previous = _publications.GetValueOrDefault(kind);
            if (delta ? previous is null || previous.BaseNumber != baseNumber || number <= (previous.DeltaNumber ?? previous.BaseNumber)
                : previous is not null && (number <= previous.BaseNumber || number <= (previous.DeltaNumber ?? 0)))
            {
                return false;
            }

            foreach (var (info, der) in bytes)
            {
                _documents[(kind, info.Number, info.Partition, info.Delta)] = der;
            }

            var infos = bytes.Select(b => b.Info).ToList();
            _publications[kind] = delta
                ? previous! with { DeltaNumber = number, DeltaSequence = sequence, PublishedAt = publishedAt, Documents = [.. previous.Documents.Where(d => !d.Delta), .. infos] }
                : new CrlPublicationState(kind, number, sequence, null, null, publishedAt, infos) { BaseBuildTime = buildTime };
            var keep = delta ? previous!.DeltaNumber ?? number : previous?.BaseNumber ?? number;
            foreach (var key in _documents.Keys.Where(k => k.Item1 == kind && k.Item2 < keep && (!delta || k.Item4)))
            {
                _documents.TryRemove(key, out _);
            }

            Interlocked.Increment(ref _publicationMark);
            return true;
        }
    }

    /// <inheritdoc />
    public async Task CopyCrlDocumentAsync(CrlDocumentInfo document, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(destination);
        if (!_documents.TryGetValue((document.Kind, document.Number, document.Partition, document.Delta), out var der))
        {
            throw new FileNotFoundException($"CRL document #{document.Number} is not stored.");
        }

        await destination.WriteAsync(der, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoredOcspResponse?> FindOcspResponseAsync(string serialHex, OcspCertIdHash hash, CancellationToken cancellationToken)
    {
        if (!_ocsp.TryGetValue((serialHex, hash), out var stored))
        {
            return null;
        }

        // The in-memory registry cannot delete answers in its revocation: check here instead.
        if (stored.Status == StoredOcspResponse.Good && (await _registry.FindBySerialAsync(serialHex, cancellationToken).ConfigureAwait(false))?.Revocation is not null)
        {
            _ocsp.TryRemove((serialHex, hash), out _);
            return null;
        }

        return stored;
    }

    /// <inheritdoc />
    public async Task<int> StoreOcspResponsesAsync(IReadOnlyList<StoredOcspResponse> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var stored = 0;
        foreach (var response in responses)
        {
            var record = await _registry.FindBySerialAsync(response.SerialHex, cancellationToken).ConfigureAwait(false);
            if (record is null || (response.Status == StoredOcspResponse.Good && record.Revocation is not null))
            {
                continue;
            }

            _ocsp.AddOrUpdate((response.SerialHex, response.HashAlgorithm), response, (_, old) => response.ThisUpdate >= old.ThisUpdate ? response : old);
            stored++;
        }

        return stored;
    }

    /// <inheritdoc />
    public Task<(IReadOnlyList<OcspWork> Work, DateTimeOffset IssuedCursor)> FindOcspWorkAsync(DateTimeOffset now, DateTimeOffset issuedFrom, int limit, CancellationToken cancellationToken)
    {
        // Only refreshes: this store cannot list the registry's certificates, so answers are first signed on request.
        IReadOnlyList<OcspWork> due = [.. _ocsp.Values.Where(r => r.RefreshAt <= now).OrderBy(r => r.RefreshAt).Take(limit).Select(r => new OcspWork(r.SerialHex, r.Kind, r.HashAlgorithm))];
        return Task.FromResult((due, issuedFrom));
    }

    /// <inheritdoc />
    public Task<IPublisherLease?> TryAcquirePublisherLeaseAsync(CancellationToken cancellationToken) => Task.FromResult<IPublisherLease?>(new ProcessLease());

    /// <inheritdoc />
    public async Task WaitForChangeAsync(long cursor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var mark = Interlocked.Read(ref _publicationMark);
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (await _registry.GetRevocationCursorAsync(cancellationToken).ConfigureAwait(false) != cursor || Interlocked.Read(ref _publicationMark) != mark)
            {
                return;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class ProcessLease : IPublisherLease
    {
        public CancellationToken Lost => CancellationToken.None;

        public Task<bool> ConfirmAsync(CancellationToken cancellationToken) => Task.FromResult(true);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
