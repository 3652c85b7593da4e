using Jpki.Core.Storage;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Jpki.Authority.Audit;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Authority.Crl;

/// <summary>
/// The CRLs of both CAs, published in the background and served from files — never built on a request
/// (docs/authority.md, "CRL publication").
/// <list type="bullet">
/// <item><b>Every process</b> serves what the registry says is current (<see cref="FindAsync"/>): the documents are
/// copied once from the registry into <c>directory</c> (named by number, so immutable) and served from there; a new
/// publication by any process is picked up within a second (PostgreSQL NOTIFY, or polling on SQLite).</item>
/// <item><b>Exactly one process</b> — the holder of the registry's publisher lease, taken over by another within
/// seconds when it dies — publishes (<see cref="RunAsync"/>): a base generation (full CRL and partitions) on first
/// start and when half of <see cref="AuthorityOptions.CrlValidity"/> has passed; after any revocation by any process
/// (the registry's revocation sequence), the delta CRLs after <see cref="AuthorityOptions.CrlRebuildDelay"/> and the
/// complete CRLs after <see cref="AuthorityOptions.CrlBaseMinimumInterval"/>. Each generation passes the coverage check
/// before it is stored, and is stored and made current in one transaction, only if its number is newer.</item>
/// </list>
/// </summary>
public sealed class CrlPublisher : IDisposable
{
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly CertificateKind[] Kinds = [CertificateKind.Signature, CertificateKind.Authentication];

    private readonly CertificateAuthority _authority;
    private readonly IAuditLog _audit;
    private readonly IRevocationPublicationStore _store;
    private readonly string _directory;
    private readonly ConcurrentDictionary<CertificateKind, Snapshot> _current = new();
    private readonly ConcurrentDictionary<CertificateKind, DateTimeOffset> _pendingSince = new();
    private readonly ConcurrentDictionary<CertificateKind, long> _nextAttempt = new();
    private readonly SemaphoreSlim _building = new(1, 1);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Exception? _lastFailure;

    /// <summary>Serves and publishes through <paramref name="store"/>, caching documents in <paramref name="directory"/>.</summary>
    public CrlPublisher(CertificateAuthority authority, IAuditLog audit, IRevocationPublicationStore store, string directory, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _authority = authority;
        _audit = audit;
        _store = store;
        _directory = directory;
        Logger = logger ?? NullLogger.Instance;
        PrivateFiles.CreateFolder(directory);
        RemoveAbandonedTemporaries();
    }

    /// <summary>Raised when this process starts serving a new publication of a CA (published here or by another process).</summary>
    public event EventHandler<CertificateKind>? Published;

    /// <summary>Raised when a publication attempt of this process fails (a dependency down, the coverage check refused).</summary>
    public event EventHandler<Exception>? Failed;

    /// <summary>Where publications, failures and lease changes are logged.</summary>
    public ILogger Logger { get; set; }

    /// <summary>More work for the publisher process, run while it holds the lease and cancelled when it loses it (the OCSP pre-signer).</summary>
    public Func<CancellationToken, Task>? LeaderWork { get; set; }

    /// <summary>True while this process holds the publisher lease.</summary>
    public bool IsPublisher { get; private set; }

    /// <summary>The last publication failure of this process (dependency down, coverage check refused), or null after a success.</summary>
    public Exception? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>The full CRL currently published for <paramref name="kind"/>.</summary>
    /// <exception cref="CrlNotPublishedException">None is published yet.</exception>
    public async Task<PublishedCrl> GetCurrentAsync(CertificateKind kind, CancellationToken cancellationToken)
        => await FindAsync(kind, 0, delta: false, cancellationToken).ConfigureAwait(false)
            ?? throw new CrlNotPublishedException($"No {IssuingCa.SlugOf(kind)} CRL is published yet.", LastFailure!);

    /// <summary>
    /// The published CRL of <paramref name="kind"/> for <paramref name="partition"/> (0: the full CRL), complete or
    /// <paramref name="delta"/>; null when that scope is not published. Reads the registry's publication state only when
    /// this process has none yet.
    /// </summary>
    public async Task<PublishedCrl?> FindAsync(CertificateKind kind, int partition, bool delta, CancellationToken cancellationToken)
    {
        if (!_current.TryGetValue(kind, out var snapshot))
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (!_current.TryGetValue(kind, out snapshot))
            {
                return null;
            }
        }

        return snapshot.Documents.GetValueOrDefault((partition, delta));
    }

    /// <summary>Completes when this process serves a publication of <paramref name="kind"/> (at once if it already does).</summary>
    public async Task WhenPublishedAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnPublished(object? sender, CertificateKind k)
        {
            if (k == kind)
            {
                published.TrySetResult();
            }
        }

        Published += OnPublished;
        try
        {
            if (!_current.ContainsKey(kind))
            {
                await published.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Published -= OnPublished;
        }
    }

    /// <summary>Builds, checks and publishes a base generation of <paramref name="kind"/> now; returns its full CRL (or first partition).</summary>
    /// <exception cref="CrlCoverageException">The coverage check refused it.</exception>
    public async Task<PublishedCrl> PublishAsync(CertificateKind kind, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await PublishGenerationAsync(kind, delta: false, actor, null, cancellationToken).ConfigureAwait(false);
        var snapshot = _current[kind];
        return snapshot.Documents.GetValueOrDefault((0, false)) ?? snapshot.Documents.Values.First(d => !d.Delta);
    }

    /// <summary>Builds, checks and publishes the delta CRLs of <paramref name="kind"/> for its current base now.</summary>
    /// <exception cref="CrlNotPublishedException">No base generation is published.</exception>
    public Task PublishDeltaAsync(CertificateKind kind, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return PublishGenerationAsync(kind, delta: true, actor, null, cancellationToken);
    }

    /// <summary>
    /// Builds a full CRL of <paramref name="kind"/> into <paramref name="output"/> streaming from the registry, outside the
    /// publication (<c>jpki authority crl</c>): the next CRL number, thisUpdate = now, nextUpdate = now +
    /// <see cref="AuthorityOptions.CrlValidity"/>; records <c>crl.publish</c>.
    /// </summary>
    public static async Task<CrlDocument> BuildAsync(CertificateAuthority authority, IAuditLog audit, CertificateKind kind, Stream output, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(audit);
        var now = authority.Clock.GetUtcNow();
        var number = await authority.Registry.NextCrlNumberAsync(kind, cancellationToken).ConfigureAwait(false);
        var ca = authority.CaOf(kind);
        var entries = authority.Registry.StreamRevokedAsync(new RevokedQuery(kind, now - authority.Options.CrlValidity), cancellationToken);
        var document = await StreamingCrlWriter.WriteAsync(ca, entries, number, now, now + authority.Options.CrlValidity, output, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(
            new AuditEntry(now, actor, "crl.publish", ca.Slug + "#" + number.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{{\"entries\":{document.EntryCount},\"bytes\":{document.Length}}}")),
            cancellationToken).ConfigureAwait(false);
        return document;
    }

    /// <summary>
    /// Runs until <paramref name="stopping"/>: takes the publisher lease when free and publishes while holding it;
    /// otherwise follows the publications of the process that holds it. Failures are logged and retried; this never
    /// throws except for cancellation.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            IPublisherLease? lease = null;
            try
            {
                lease = await _store.TryAcquirePublisherLeaseAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && IsDependencyFailure(ex))
            {
                Log.PublisherLeaseFailed(Logger, ex);
            }

            if (lease is not null)
            {
                await using (lease.ConfigureAwait(false))
                {
                    IsPublisher = true;
                    AuthorityTelemetry.PublisherChanged(leading: true);
                    Log.PublisherLeaseTaken(Logger);
                    using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
                    var extra = LeaderWork is { } work ? Task.Run(() => work(leading.Token), CancellationToken.None) : Task.CompletedTask;
                    try
                    {
                        await LeadAsync(lease, stopping).ConfigureAwait(false);
                    }
                    finally
                    {
                        IsPublisher = false;
                        AuthorityTelemetry.PublisherChanged(leading: false);
                        await leading.CancelAsync().ConfigureAwait(false);
                        await extra.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }
                }

                if (!stopping.IsCancellationRequested)
                {
                    Log.PublisherLeaseLost(Logger);
                }

                continue;
            }

            await FollowAsync(LeaseRetry, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the registry's publication state and starts serving anything newer (copying its documents here).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var kind in Kinds)
            {
                var state = await _store.GetCrlPublicationAsync(kind, cancellationToken).ConfigureAwait(false);
                if (state is null || (_current.TryGetValue(kind, out var known) && known.State.BaseNumber == state.BaseNumber && known.State.DeltaNumber == state.DeltaNumber))
                {
                    continue;
                }

                var documents = new Dictionary<(int, bool), PublishedCrl>();
                foreach (var info in state.Documents)
                {
                    documents[(info.Partition, info.Delta)] = await LocalCopyAsync(info, cancellationToken).ConfigureAwait(false);
                }

                Serve(kind, state, documents);
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _building.Dispose();
        _refreshing.Dispose();
    }

    private static bool IsDependencyFailure(Exception ex) => ex is System.Data.Common.DbException or IOException or TimeoutException or UnauthorizedAccessException
        or Keys.Pkcs11KeyException or System.Security.Cryptography.CryptographicException or CrlCoverageException or InvalidOperationException;

    private async Task FollowAsync(TimeSpan duration, CancellationToken stopping)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!stopping.IsCancellationRequested && System.Diagnostics.Stopwatch.GetElapsedTime(started) < duration)
        {
            try
            {
                await RefreshAsync(stopping).ConfigureAwait(false);
                var cursor = await _authority.Registry.GetRevocationCursorAsync(stopping).ConfigureAwait(false);
                await _store.WaitForChangeAsync(cursor, Poll, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsDependencyFailure(ex))
            {
                Log.PublicationRefreshFailed(Logger, ex);
                await DelayAsync(Poll, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task LeadAsync(IPublisherLease lease, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
        var token = linked.Token;
        while (!token.IsCancellationRequested)
        {
            long cursor = 0;
            try
            {
                await RefreshAsync(token).ConfigureAwait(false);
                cursor = await _authority.Registry.GetRevocationCursorAsync(token).ConfigureAwait(false);
                foreach (var kind in Kinds)
                {
                    if (Due(kind, cursor) is { } work && System.Diagnostics.Stopwatch.GetTimestamp() >= _nextAttempt.GetValueOrDefault(kind))
                    {
                        await PublishGenerationAsync(kind, work.Delta, "system", lease, token).ConfigureAwait(false);
                        if (!work.Delta && _authority.Options.DeltaCrls)
                        {
                            // Every base is followed at once by its (empty) deltas: its freshestCRL must not point at nothing.
                            await PublishGenerationAsync(kind, delta: true, "system", lease, token).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsDependencyFailure(ex))
            {
                // Logged where it happened; the current CRLs stay published until their nextUpdate.
            }

            try
            {
                await _store.WaitForChangeAsync(cursor, Poll, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsDependencyFailure(ex))
            {
                await DelayAsync(Poll, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What the publisher owes for <paramref name="kind"/> now (a base or a delta generation), or null.</summary>
    private (bool Delta, string Why)? Due(CertificateKind kind, long cursor)
    {
        var options = _authority.Options;
        var now = _authority.Clock.GetUtcNow();
        if (!_current.TryGetValue(kind, out var snapshot))
        {
            return (false, "first publication");
        }

        var state = snapshot.State;
        var complete = snapshot.Documents.Values.First(d => !d.Delta).Document;
        if (now >= complete.ThisUpdate + (options.CrlValidity / 2))
        {
            return (false, "half of the CRL validity has passed");
        }

        if (options.DeltaCrls)
        {
            if (state.DeltaNumber is null)
            {
                return (true, "no delta CRL for the base");
            }

            if (snapshot.Documents.Values.FirstOrDefault(d => d.Delta)?.Document is { } delta && now >= delta.ThisUpdate + (options.DeltaCrlValidity / 2))
            {
                return (true, "half of the delta CRL validity has passed");
            }
        }

        // Revocations (by any process, of either CA: the sequence is shared) that the published CRLs do not show yet:
        // after the debounce, the deltas (or, without deltas, the complete CRLs). Never the complete CRLs straight away
        // when deltas are on — whether this CA's own deltas list anything decides that, below.
        if (cursor > state.CoveredSequence)
        {
            var since = _pendingSince.GetOrAdd(kind, now);
            if (now - since < options.CrlRebuildDelay)
            {
                return null;
            }

            return options.DeltaCrls ? (true, "revocations since the last delta CRL") : (false, "revocations since the last complete CRL");
        }

        _pendingSince.TryRemove(kind, out _);

        // The deltas show everything; the complete CRLs catch up at their own pace — only when the deltas list something:
        // the revocation sequence is shared by both CAs, and the other CA's revocations alone never rebuild this one's.
        return cursor > state.BaseSequence && snapshot.Documents.Values.Any(d => d.Delta && d.Document.EntryCount > 0) && BaseDue(state, now, complete)
            ? (false, "revocations since the last complete CRL")
            : null;
    }

    /// <summary>
    /// Whether the complete CRLs may be rebuilt for revocations: the minimum interval (or ten build times of the published
    /// base, as recorded in the registry, so a restarted or newly elected publisher keeps the spacing) has passed.
    /// </summary>
    private bool BaseDue(CrlPublicationState state, DateTimeOffset now, CrlDocument complete)
    {
        var interval = _authority.Options.CrlBaseMinimumInterval;
        if (state.BaseBuildTime is { } duration && duration * 10 > interval)
        {
            interval = duration * 10;
        }

        return now - complete.ThisUpdate >= interval;
    }

    private async Task PublishGenerationAsync(CertificateKind kind, bool delta, string actor, IPublisherLease? lease, CancellationToken cancellationToken)
    {
        using var activity = AuthorityTelemetry.Source.StartActivity("jpki.crl.publish");
        activity?.SetTag("jpki.ca", IssuingCa.SlugOf(kind));
        activity?.SetTag("jpki.generation", delta ? "delta" : "base");
        await _building.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CrlPublicationState? baseState = null;
            if (delta)
            {
                baseState = await _store.GetCrlPublicationAsync(kind, cancellationToken).ConfigureAwait(false)
                    ?? throw new CrlNotPublishedException($"No {IssuingCa.SlugOf(kind)} base CRL is published, so there is no delta to build.");
            }

            CrlGenerationBuilder.Generation generation;
            try
            {
                generation = delta
                    ? await CrlGenerationBuilder.BuildDeltaAsync(_authority, kind, baseState!, _directory, cancellationToken).ConfigureAwait(false)
                    : await CrlGenerationBuilder.BuildBaseAsync(_authority, kind, _directory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && IsDependencyFailure(ex))
            {
                Fail(kind, ex);
                throw;
            }

            try
            {
                if (lease is not null && !await lease.ConfirmAsync(cancellationToken).ConfigureAwait(false))
                {
                    Log.PublicationAbandoned(Logger, IssuingCa.SlugOf(kind), generation.Number);
                    return;
                }

                var now = _authority.Clock.GetUtcNow();
                if (!await _store.PublishCrlsAsync(kind, delta, generation.Number, generation.Sequence, generation.BaseNumber, generation.Documents, now, generation.Duration, cancellationToken).ConfigureAwait(false))
                {
                    // Another publisher published a newer generation meanwhile: ours is older, never published.
                    Log.PublicationSuperseded(Logger, IssuingCa.SlugOf(kind), generation.Number);
                    return;
                }

                var ca = _authority.CaOf(kind);
                var bytes = generation.Documents.Sum(d => d.Info.Length);
                await _audit.AppendAsync(
                    new AuditEntry(now, actor, "crl.publish", ca.Slug + "#" + generation.Number.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture,
                        $"{{\"generation\":\"{(delta ? "delta" : "base")}\",\"documents\":{generation.Documents.Count},\"entries\":{generation.Entries},\"bytes\":{bytes},\"sequence\":{generation.Sequence},\"ms\":{(long)generation.Duration.TotalMilliseconds}}}")),
                    cancellationToken).ConfigureAwait(false);
                Log.Published(Logger, ca.Slug, delta ? "delta" : "base", generation.Number, generation.Documents.Count, generation.Entries, bytes, (long)generation.Duration.TotalMilliseconds, (long)generation.CheckDuration.TotalMilliseconds);
                AuthorityTelemetry.CrlPublished(ca.Slug, delta, generation.Duration, bytes, generation.Entries);

                // The files just built become this process's cache under their final names.
                var documents = new Dictionary<(int, bool), PublishedCrl>();
                foreach (var file in generation.Documents)
                {
                    var path = CachePath(file.Info);
                    File.Move(file.Path, path, overwrite: true);
                    documents[(file.Info.Partition, file.Info.Delta)] = ToPublished(file.Info, path);
                }

                _pendingSince.TryRemove(kind, out _);
                Volatile.Write(ref _lastFailure, null);
                _nextAttempt.TryRemove(kind, out _);
                var state = await _store.GetCrlPublicationAsync(kind, cancellationToken).ConfigureAwait(false);
                if (state is not null)
                {
                    var merged = delta && _current.TryGetValue(kind, out var known) && known.State.BaseNumber == state.BaseNumber
                        ? known.Documents.Where(d => !d.Value.Delta).Concat(documents).ToDictionary(d => d.Key, d => d.Value)
                        : documents;
                    if (state.BaseNumber == generation.Number || state.DeltaNumber == generation.Number)
                    {
                        Serve(kind, state, merged);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && IsDependencyFailure(ex))
            {
                Fail(kind, ex);
                throw;
            }
            finally
            {
                foreach (var file in generation.Documents)
                {
                    if (File.Exists(file.Path))
                    {
                        CrlGenerationBuilder.TryDelete(file.Path);
                    }
                }
            }
        }
        finally
        {
            _building.Release();
        }
    }

    private void Fail(CertificateKind kind, Exception ex)
    {
        Volatile.Write(ref _lastFailure, ex);
        _nextAttempt[kind] = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(FailureBackoff.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        if (ex is CrlCoverageException coverage)
        {
            Log.CoverageRefused(Logger, IssuingCa.SlugOf(kind), coverage.Message);
            AuthorityTelemetry.CrlRefused(IssuingCa.SlugOf(kind));
        }
        else
        {
            Log.PublicationFailed(Logger, IssuingCa.SlugOf(kind), ex);
        }

        Failed?.Invoke(this, ex);
    }

    private void Serve(CertificateKind kind, CrlPublicationState state, Dictionary<(int, bool), PublishedCrl> documents)
    {
        if (_current.TryGetValue(kind, out var known) && (known.State.BaseNumber > state.BaseNumber
            || (known.State.BaseNumber == state.BaseNumber && (known.State.DeltaNumber ?? 0) > (state.DeltaNumber ?? 0))))
        {
            return;
        }

        _current[kind] = new Snapshot(state, documents);
        PruneCache(kind, state);
        Published?.Invoke(this, kind);
    }

    private async Task<PublishedCrl> LocalCopyAsync(CrlDocumentInfo info, CancellationToken cancellationToken)
    {
        var path = CachePath(info);
        if (!File.Exists(path) || new FileInfo(path).Length != info.Length)
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                var file = new FileStream(temporary, PrivateFiles.CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, 1 << 16));
                await using (file.ConfigureAwait(false))
                {
                    await _store.CopyCrlDocumentAsync(info, file, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                CrlGenerationBuilder.TryDelete(temporary);
                throw;
            }
        }

        return ToPublished(info, path);
    }

    private static PublishedCrl ToPublished(CrlDocumentInfo info, string path) =>
        new(path, new CrlDocument(info.Number, info.ThisUpdate, info.NextUpdate, info.EntryCount, info.Length))
        {
            Partition = info.Partition,
            Delta = info.Delta,
            Sha256 = info.Sha256,
        };

    private string CachePath(CrlDocumentInfo info) => Path.Combine(
        _directory,
        string.Create(CultureInfo.InvariantCulture, $"{IssuingCa.SlugOf(info.Kind)}-{info.Number}-{info.Partition}{(info.Delta ? "-delta" : string.Empty)}.crl"));

    /// <summary>Deletes cached documents older than the published base (served files stay readable by open handles).</summary>
    private void PruneCache(CertificateKind kind, CrlPublicationState state)
    {
        var prefix = IssuingCa.SlugOf(kind) + "-";
        foreach (var file in Directory.EnumerateFiles(_directory, prefix + "*.crl"))
        {
            var name = Path.GetFileNameWithoutExtension(file).AsSpan(prefix.Length);
            var dash = name.IndexOf('-');
            if (dash > 0 && long.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < state.BaseNumber)
            {
                CrlGenerationBuilder.TryDelete(file);
            }
        }
    }

    /// <summary>
    /// Deletes temporary CRL files left by a process killed while building or copying one (served files are only ever
    /// created by an atomic rename, so they are never half-written). Only files untouched for
    /// <see cref="AbandonedAfter"/> go: another process on the same folder may be building right now.
    /// </summary>
    private void RemoveAbandonedTemporaries()
    {
        var cutoff = _authority.Clock.GetUtcNow() - AbandonedAfter;
        foreach (var file in Directory.EnumerateFiles(_directory, "*.tmp"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
                {
                    File.Delete(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover file costs disk space, not correctness.
            }
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private sealed record Snapshot(CrlPublicationState State, IReadOnlyDictionary<(int Partition, bool Delta), PublishedCrl> Documents);
}
