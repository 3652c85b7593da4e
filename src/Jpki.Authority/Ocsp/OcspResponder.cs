using System.Collections.Concurrent;
using System.Data.Common;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Threading.Channels;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Authority.Ocsp;

/// <summary>
/// The RFC 6960 responder of both CAs (docs/authority.md, "OCSP"). Each response is signed by the CA's delegated
/// OCSP signer.
/// <list type="bullet">
/// <item><b>Pre-signed answers</b> (RFC 5019) for requests about one certificate without a nonce: served from memory,
/// else from the registry's store of signed answers (shared by every server process), else signed once and stored.
/// The publisher process pre-signs every unexpired certificate in batches and signs again once half the validity has
/// passed (<see cref="PresignAsync"/>), so requests cost no RSA signature.</item>
/// <item><b>Revocations from any process</b>: a revocation deletes the certificate's stored answers in its own
/// transaction, and every process drops its in-memory answers when the registry's revocation feed shows it
/// (<see cref="RunAsync"/>: PostgreSQL NOTIFY, or a SQLite poll every 200 ms) — the next answer says revoked.</item>
/// <item><b>Unknown certIDs</b> (a serial this CA never issued) are signed at most
/// <see cref="AuthorityOptions.OcspUnknownSignaturesPerSecond"/> per second and kept; beyond that they get the
/// unsigned <c>unauthorized</c> status (RFC 5019 §2.2.3), so random serials cannot make the responder sign.</item>
/// <item><b>A nonce</b> (RFC 8954) makes every answer unique: signed per request, with the status taken from memory
/// when known.</item>
/// </list>
/// Signature-certificate status is given only to authorised verifiers unless the data is open (JPKI-REFERENCE §8.2).
/// </summary>
public sealed class OcspResponder : IDisposable
{
    private const int MaxUnknownCached = 10_000;
    private const int PresignBatch = 256;
    private static readonly byte[] Malformed = [0x30, 0x03, 0x0A, 0x01, 0x01];
    private static readonly byte[] Unauthorized = [0x30, 0x03, 0x0A, 0x01, 0x06];
    private static readonly byte[] InternalError = [0x30, 0x03, 0x0A, 0x01, 0x02];
    private static readonly TimeSpan IssuedSlack = TimeSpan.FromMinutes(1);

    private readonly CertificateAuthority _authority;
    private readonly IRevocationPublicationStore _store;
    private readonly OcspSigner _signSigner;
    private readonly OcspSigner _authSigner;
    private readonly ConcurrentDictionary<byte[], Cached> _cache = new(ByteKeyComparer.Instance);
    private readonly ConcurrentDictionary<string, byte[][]> _keysBySerial = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<byte[], Cached> _unknown = new(ByteKeyComparer.Instance);
    private readonly ConcurrentDictionary<string, (CertificateKind Kind, Status Status)> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<byte[], byte> _refreshing = new(ByteKeyComparer.Instance);
    private readonly Channel<StoredOcspResponse> _toStore = Channel.CreateBounded<StoredOcspResponse>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Task _storing;
    private readonly TokenBucket _unknownBudget;
    private long _epoch;
    private readonly object _recordingGate = new();
    private readonly ConcurrentQueue<Func<Task>> _unrecorded = new();
    private Task _recording = Task.CompletedTask;
    private long _nextRecordingRetryTicks;
    private DateTimeOffset _issuedCursor = DateTimeOffset.MinValue;

    /// <summary>Creates the responder over an in-process publication store (one process; tests).</summary>
    public OcspResponder(CertificateAuthority authority, IIdentifierSource? ids = null)
        : this(authority, new LocalPublicationStore((authority ?? throw new ArgumentNullException(nameof(authority))).Registry), null, ids)
    {
    }

    /// <summary>Creates the responder sharing signed answers through <paramref name="store"/>, and listens for revocations made here.</summary>
    public OcspResponder(CertificateAuthority authority, IRevocationPublicationStore store, ILogger? logger, IIdentifierSource? ids = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(store);
        _authority = authority;
        _store = store;
        Logger = logger ?? NullLogger.Instance;
        ids ??= RandomIdentifierSource.Instance;
        _signSigner = new OcspSigner(authority.SignCa, authority.Clock, authority.Options.OcspSignerValidity, ids, (serial, at, nb, na, der) => Record(CertificateKind.Signature, serial, at, nb, na, der));
        _authSigner = new OcspSigner(authority.AuthCa, authority.Clock, authority.Options.OcspSignerValidity, ids, (serial, at, nb, na, der) => Record(CertificateKind.Authentication, serial, at, nb, na, der));
        _unknownBudget = new TokenBucket(authority.Options.OcspUnknownSignaturesPerSecond, authority.Clock);
        _authority.Revoked += OnRevoked;
        _storing = Task.Run(StoreLoopAsync);
    }

    /// <summary>Where feed and pre-signing failures are logged.</summary>
    public ILogger Logger { get; set; }

    /// <summary>Raised (with the serial) when this process learns of a revocation and drops its answers for it.</summary>
    public event EventHandler<string>? Invalidated;

    /// <summary>
    /// Completes when every delegated signer certificate issued so far is in the registry and the audit log
    /// (<c>ocsp.signer</c>). Signers are issued on the response path, which does not wait for the store; a recording
    /// that failed faults this task (the signer is still used: its responses stay verifiable) and stays queued, in order:
    /// it is tried again (at most once a second) when a later request is answered, so a registry outage delays the
    /// record but never loses it, nor blocks the recordings after it.
    /// </summary>
    public Task RecordingAsync => Volatile.Read(ref _recording);

    /// <summary>How many signed answers this process holds in memory.</summary>
    public int CachedResponses => _cache.Count;

    /// <summary>The current delegated signer certificate of <paramref name="kind"/> (DER).</summary>
    public ReadOnlyMemory<byte> SignerCertificate(CertificateKind kind) => SignerOf(kind).Current.CertificateDer;

    /// <summary>Answers a DER OCSPRequest.</summary>
    /// <param name="request">The request as received (POST body, or the decoded GET path).</param>
    /// <param name="verifierAuthorised">Whether the client presented a registered verifier key.</param>
    /// <param name="cancellationToken">Cancels the registry lookups.</param>
    public Task<OcspAnswer> RespondAsync(ReadOnlyMemory<byte> request, bool verifierAuthorised, CancellationToken cancellationToken)
    {
        // An answer from memory completes at once: counted without a second state machine on the hot path.
        var answering = AnswerAsync(request, verifierAuthorised, cancellationToken);
        if (answering.IsCompletedSuccessfully)
        {
            AuthorityTelemetry.Answered(answering.Result);
            return answering;
        }

        return CountedAsync(answering);

        static async Task<OcspAnswer> CountedAsync(Task<OcspAnswer> answering)
        {
            var answer = await answering.ConfigureAwait(false);
            AuthorityTelemetry.Answered(answer);
            return answer;
        }
    }

    private async Task<OcspAnswer> AnswerAsync(ReadOnlyMemory<byte> request, bool verifierAuthorised, CancellationToken cancellationToken)
    {
        RetryRecordings();
        if (!OcspRequestParser.TryParse(request.Span, out var parsed) || parsed is null)
        {
            return new OcspAnswer(OcspStatus.MalformedRequest, Malformed, false);
        }

        IssuingCa? ca = null;
        foreach (var id in parsed.CertIds)
        {
            var matched = Match(id);
            if (matched is null || (ca is not null && matched != ca))
            {
                return new OcspAnswer(OcspStatus.Unauthorized, Unauthorized, false);
            }

            ca = matched;
        }

        if (ca!.Kind == CertificateKind.Signature && !verifierAuthorised && !_authority.Options.OpenSignatureRevocationData)
        {
            return new OcspAnswer(OcspStatus.Unauthorized, Unauthorized, false);
        }

        var now = _authority.Clock.GetUtcNow();
        try
        {
            // The delegated signer is renewed (and its recording queued) before anything that needs the registry.
            _ = SignerOf(ca.Kind).Current;
            if (parsed.CertIds.Count == 1 && parsed.NonceExtensionValue is null)
            {
                return await PreSignedAsync(ca, parsed.CertIds[0], now, cancellationToken).ConfigureAwait(false);
            }

            var statuses = new Status[parsed.CertIds.Count];
            for (var i = 0; i < statuses.Length; i++)
            {
                statuses[i] = await StatusAsync(ca, parsed.CertIds[i], now, cancellationToken).ConfigureAwait(false);
                if (statuses[i].Kind == StatusKind.Unknown && !_unknownBudget.TryTake())
                {
                    return new OcspAnswer(OcspStatus.Unauthorized, Unauthorized, false);
                }
            }

            return new OcspAnswer(OcspStatus.Successful, Sign(ca, parsed.CertIds, statuses, parsed.NonceExtensionValue, now), false)
            {
                CertStatus = statuses.Length == 1 ? CertStatusOf(statuses[0]) : OcspCertStatus.Several,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or InvalidOperationException)
        {
            Log.OcspAnswerFailed(Logger, ca.Slug, ex);
            return new OcspAnswer(OcspStatus.InternalError, InternalError, false);
        }
    }

    /// <summary>
    /// Follows the registry's revocation feed until <paramref name="stopping"/> (run in every server process): drops the
    /// in-memory answers of every certificate revoked by any process, within a second.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        long cursor = -1;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (cursor < 0)
                {
                    cursor = await _authority.Registry.GetRevocationCursorAsync(stopping).ConfigureAwait(false);
                }

                await _store.WaitForChangeAsync(cursor, TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                while (true)
                {
                    var changes = await _authority.Registry.ReadRevocationsAfterAsync(cursor, 1000, stopping).ConfigureAwait(false);
                    foreach (var change in changes)
                    {
                        Invalidate(change.SerialHex);
                        cursor = change.Sequence;
                    }

                    if (changes.Count < 1000)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
            {
                // The registry is down: cached answers stay what they are (signed, unexpired statements); retry.
                Log.FeedFailed(Logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Pre-signs answers until <paramref name="leading"/> is cancelled (run by the publisher process only): in batches,
    /// the answers that are due for refresh and those of newly issued certificates, stored in the registry for every
    /// process; at most half of one core (a pause as long as each full batch took).
    /// </summary>
    public async Task PresignAsync(CancellationToken leading)
    {
        if (!_authority.Options.OcspPresign)
        {
            return;
        }

        while (!leading.IsCancellationRequested)
        {
            var pause = TimeSpan.FromSeconds(5);
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var count = await PresignBatchAsync(leading).ConfigureAwait(false);
                var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (count > 0)
                {
                    Log.Presigned(Logger, count, (long)took.TotalMilliseconds);
                }

                if (count == PresignBatch)
                {
                    pause = took;
                }
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException or CryptographicException)
            {
                Log.PresignFailed(Logger, ex);
            }

            try
            {
                await Task.Delay(pause, leading).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Signs and stores one batch of due and missing answers; returns how many.</summary>
    internal async Task<int> PresignBatchAsync(CancellationToken cancellationToken)
    {
        var now = _authority.Clock.GetUtcNow();
        var from = _issuedCursor == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : _issuedCursor - IssuedSlack;
        var (work, cursor) = await _store.FindOcspWorkAsync(now, from, PresignBatch, cancellationToken).ConfigureAwait(false);
        var signed = new List<StoredOcspResponse>(work.Count);
        foreach (var item in work)
        {
            var ca = _authority.CaOf(item.Kind);
            var record = await _authority.Registry.FindBySerialAsync(item.SerialHex, cancellationToken).ConfigureAwait(false);
            if (record is null || record.Kind != item.Kind)
            {
                continue;
            }

            var id = CanonicalCertId(ca, item.HashAlgorithm, item.SerialHex);
            var status = record.Revocation is { } r ? Status.Revoked(r) : Status.Good;
            var der = Sign(ca, [id], [status], null, now);
            signed.Add(Stored(id, item.Kind, status, der, now));
        }

        await _store.StoreOcspResponsesAsync(signed, cancellationToken).ConfigureAwait(false);
        if (cursor > _issuedCursor)
        {
            _issuedCursor = cursor;
        }

        return work.Count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _authority.Revoked -= OnRevoked;
        _toStore.Writer.TryComplete();
        _storing.Wait(TimeSpan.FromSeconds(10));
        _signSigner.Dispose();
        _authSigner.Dispose();
    }

    private async Task<OcspAnswer> PreSignedAsync(IssuingCa ca, OcspCertId id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_cache.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(id.Encoded, out var cached) && now < cached.NextUpdate)
        {
            if (now >= cached.RefreshAt)
            {
                RefreshInBackground(ca, id);
            }

            return cached.Answer(true);
        }

        if (_unknown.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(id.Encoded, out var unknown) && now < unknown.NextUpdate)
        {
            return unknown.Answer(true);
        }

        var epoch = Interlocked.Read(ref _epoch);
        var hash = HashOf(id);
        if (hash is { } h && id.Encoded.AsSpan().SequenceEqual(CanonicalCertId(ca, h, id.SerialHex).Encoded)
            && await _store.FindOcspResponseAsync(id.SerialHex, h, cancellationToken).ConfigureAwait(false) is { } stored
            && stored.Kind == ca.Kind && now < stored.NextUpdate && now >= stored.ThisUpdate - TimeSpan.FromMinutes(5))
        {
            var fromStore = new Cached(stored.Der.ToArray(), id.SerialHex, stored.ThisUpdate, stored.NextUpdate, stored.RefreshAt, stored.Status == StoredOcspResponse.Good ? Status.Good : null, stored.Status == StoredOcspResponse.Good ? OcspCertStatus.Good : OcspCertStatus.Revoked);
            Remember(id, fromStore, epoch);
            return fromStore.Answer(true);
        }

        var status = await StatusAsync(ca, id, now, cancellationToken).ConfigureAwait(false);
        if (status.Kind == StatusKind.Unknown)
        {
            if (!_unknownBudget.TryTake())
            {
                return new OcspAnswer(OcspStatus.Unauthorized, Unauthorized, false);
            }

            var unknownAnswer = Fresh(ca, id, status, now, out _);
            if (_unknown.Count >= MaxUnknownCached)
            {
                _unknown.Clear();
            }

            _unknown[id.Encoded] = unknownAnswer;
            return unknownAnswer.Answer(false);
        }

        var answer = Fresh(ca, id, status, now, out var toStore);
        Remember(id, answer, epoch);
        if (toStore is not null)
        {
            _toStore.Writer.TryWrite(toStore);
        }

        return answer.Answer(false);
    }

    /// <summary>Signs a fresh cacheable answer for one certificate (and, for a canonical certID, what to store).</summary>
    private Cached Fresh(IssuingCa ca, OcspCertId id, Status status, DateTimeOffset now, out StoredOcspResponse? toStore)
    {
        var der = Sign(ca, [id], [status], null, now);
        var validity = _authority.Options.OcspResponseValidity;
        var thisUpdate = Whole(now);
        toStore = status.Kind != StatusKind.Unknown && HashOf(id) is { } hash && id.Encoded.AsSpan().SequenceEqual(CanonicalCertId(ca, hash, id.SerialHex).Encoded)
            ? Stored(id, ca.Kind, status, der, now)
            : null;
        return new Cached(der, id.SerialHex, thisUpdate, thisUpdate + validity, thisUpdate + (validity / 2), status.Kind == StatusKind.Unknown ? null : status, CertStatusOf(status));
    }

    private StoredOcspResponse Stored(OcspCertId id, CertificateKind kind, Status status, byte[] der, DateTimeOffset now)
    {
        var validity = _authority.Options.OcspResponseValidity;
        var thisUpdate = Whole(now);
        return new StoredOcspResponse(id.SerialHex, HashOf(id)!.Value, kind, status.Kind == StatusKind.Revoked ? StoredOcspResponse.Revoked : StoredOcspResponse.Good, thisUpdate, thisUpdate + validity, thisUpdate + (validity / 2), der);
    }

    /// <summary>
    /// The status of one certID: from memory when this process holds an answer or a status for it (both dropped by the
    /// revocation feed), else from the registry — so a nonce request costs its signature and little else.
    /// </summary>
    private async ValueTask<Status> StatusAsync(IssuingCa ca, OcspCertId id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_cache.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(id.Encoded, out var cached) && now < cached.NextUpdate && cached.Status is { } known)
        {
            return known;
        }

        if (_statuses.TryGetValue(id.SerialHex, out var remembered))
        {
            return remembered.Kind == ca.Kind ? remembered.Status : Status.Unknown;
        }

        var epoch = Interlocked.Read(ref _epoch);
        var record = await _authority.Registry.FindBySerialAsync(id.SerialHex, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Status.Unknown;
        }

        var status = record.Revocation is { } revocation ? Status.Revoked(revocation) : Status.Good;
        if (_statuses.Count >= _authority.Options.OcspMemoryCacheEntries)
        {
            _statuses.Clear();
        }

        _statuses[id.SerialHex] = (record.Kind, status);
        if (Interlocked.Read(ref _epoch) != epoch)
        {
            // A revocation was seen meanwhile: this status may predate it.
            _statuses.TryRemove(id.SerialHex, out _);
        }

        return record.Kind == ca.Kind ? status : Status.Unknown;
    }

    private void Remember(OcspCertId id, Cached answer, long epoch)
    {
        if (_cache.Count >= _authority.Options.OcspMemoryCacheEntries)
        {
            // Full: start over (the registry keeps every answer; memory is only the fast path).
            _cache.Clear();
            _keysBySerial.Clear();
        }

        _cache[id.Encoded] = answer;
        _keysBySerial.AddOrUpdate(id.SerialHex, _ => [id.Encoded], (_, keys) => keys.Any(k => k.AsSpan().SequenceEqual(id.Encoded)) ? keys : [.. keys, id.Encoded]);

        // A revocation seen while this answer was being made: the answer may predate it. Drop it again.
        if (Interlocked.Read(ref _epoch) != epoch)
        {
            _cache.TryRemove(id.Encoded, out _);
        }
    }

    private void Invalidate(string serialHex)
    {
        Interlocked.Increment(ref _epoch);
        _statuses.TryRemove(serialHex, out _);
        if (_keysBySerial.TryRemove(serialHex, out var keys))
        {
            foreach (var key in keys)
            {
                _cache.TryRemove(key, out _);
            }
        }

        Invalidated?.Invoke(this, serialHex);
    }

    private void RefreshInBackground(IssuingCa ca, OcspCertId id)
    {
        if (!_refreshing.TryAdd(id.Encoded, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var now = _authority.Clock.GetUtcNow();
                var epoch = Interlocked.Read(ref _epoch);

                // Another process (the publisher) may have signed a newer one already.
                if (HashOf(id) is { } hash && id.Encoded.AsSpan().SequenceEqual(CanonicalCertId(ca, hash, id.SerialHex).Encoded)
                    && await _store.FindOcspResponseAsync(id.SerialHex, hash, CancellationToken.None).ConfigureAwait(false) is { } stored
                    && now < stored.RefreshAt && stored.Kind == ca.Kind)
                {
                    Remember(id, new Cached(stored.Der.ToArray(), id.SerialHex, stored.ThisUpdate, stored.NextUpdate, stored.RefreshAt, stored.Status == StoredOcspResponse.Good ? Status.Good : null, stored.Status == StoredOcspResponse.Good ? OcspCertStatus.Good : OcspCertStatus.Revoked), epoch);
                    return;
                }

                var record = await _authority.Registry.FindBySerialAsync(id.SerialHex, CancellationToken.None).ConfigureAwait(false);
                if (record is null || record.Kind != ca.Kind)
                {
                    return;
                }

                var answer = Fresh(ca, id, record.Revocation is { } r ? Status.Revoked(r) : Status.Good, now, out var toStore);
                Remember(id, answer, epoch);
                if (toStore is not null)
                {
                    _toStore.Writer.TryWrite(toStore);
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or InvalidOperationException or DbException or TimeoutException)
            {
                // The cached response stays valid until its nextUpdate; the next request tries again.
                Log.OcspRefreshFailed(Logger, ca.Slug, ex);
            }
            finally
            {
                _refreshing.TryRemove(id.Encoded, out _);
            }
        });
    }

    /// <summary>Writes answers signed on demand to the registry, in batches, off the request path.</summary>
    private async Task StoreLoopAsync()
    {
        var batch = new List<StoredOcspResponse>();
        while (await _toStore.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 256 && _toStore.Reader.TryRead(out var response))
            {
                batch.Add(response);
            }

            try
            {
                await _store.StoreOcspResponsesAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                // Not stored: this process still serves them from memory, and the publisher signs them in its batches.
                Log.OcspStoreFailed(Logger, batch.Count, ex);
            }
        }
    }

    private void Record(CertificateKind kind, byte[] serial, DateTimeOffset issuedAt, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] der)
    {
        // Called under the signer's lock, at most once per renewal: queue the recordings so they stay in order.
        _unrecorded.Enqueue(() => _authority.RecordOcspSignerAsync(kind, serial, issuedAt, notBefore, notAfter, der, CancellationToken.None));
        Drain();
    }

    /// <summary>Starts another drain of the queued recordings when some failed before, at most once a second.</summary>
    private void RetryRecordings()
    {
        if (_unrecorded.IsEmpty || !Volatile.Read(ref _recording).IsCompleted)
        {
            return;
        }

        var now = _authority.Clock.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextRecordingRetryTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextRecordingRetryTicks, now + TimeSpan.TicksPerSecond, next) == next)
        {
            Drain();
        }
    }

    private void Drain()
    {
        // Chained: one drain at a time, each after the previous one ended (failed or not).
        lock (_recordingGate)
        {
            var previous = _recording;
            _recording = Task.Run(async () =>
            {
                await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                while (_unrecorded.TryPeek(out var recording))
                {
                    // A failure leaves this recording (and those after it) queued, and faults the task.
                    await recording().ConfigureAwait(false);
                    _unrecorded.TryDequeue(out _);
                }
            });
        }
    }

    private static OcspCertIdHash? HashOf(OcspCertId id) => id.HashAlgorithm switch
    {
        Oids.Sha1 => OcspCertIdHash.Sha1,
        Oids.Sha256 => OcspCertIdHash.Sha256,
        _ => null,
    };

    /// <summary>The CertID as openssl and BouncyCastle encode it (hash AlgorithmIdentifier with NULL parameters): the one pre-signed answers carry.</summary>
    private static OcspCertId CanonicalCertId(IssuingCa ca, OcspCertIdHash hash, string serialHex)
    {
        var (oid, name, key) = hash == OcspCertIdHash.Sha1 ? (Oids.Sha1, ca.NameHashSha1, ca.KeyHashSha1) : (Oids.Sha256, ca.NameHashSha256, ca.KeyHashSha256);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
                writer.WriteNull();
            }

            writer.WriteOctetString(name);
            writer.WriteOctetString(key);
            writer.WriteIntegerUnsigned(Convert.FromHexString(serialHex.Length % 2 == 1 ? "0" + serialHex : serialHex));
        }

        return new OcspCertId(oid, name, key, serialHex, writer.Encode());
    }

    private OcspSigner SignerOf(CertificateKind kind) => kind == CertificateKind.Signature ? _signSigner : _authSigner;

    private IssuingCa? Match(OcspCertId id)
    {
        foreach (var ca in new[] { _authority.SignCa, _authority.AuthCa })
        {
            var (name, key) = id.HashAlgorithm switch
            {
                Oids.Sha1 => (ca.NameHashSha1, ca.KeyHashSha1),
                Oids.Sha256 => (ca.NameHashSha256, ca.KeyHashSha256),
                _ => (null, null),
            };
            if (name is not null && name.AsSpan().SequenceEqual(id.IssuerNameHash) && key.AsSpan().SequenceEqual(id.IssuerKeyHash))
            {
                return ca;
            }
        }

        return null;
    }

    private void OnRevoked(object? sender, RevokedEventArgs e) => Invalidate(e.SerialHex);

    /// <summary>Builds and signs a BasicOCSPResponse for <paramref name="ids"/> with their <paramref name="statuses"/>.</summary>
    private byte[] Sign(IssuingCa ca, IReadOnlyList<OcspCertId> ids, IReadOnlyList<Status> statuses, byte[]? nonce, DateTimeOffset now)
    {
        var signer = SignerOf(ca.Kind).Current;
        var thisUpdate = Whole(now);
        var nextUpdate = Whole(now + _authority.Options.OcspResponseValidity);
        var data = new AsnWriter(AsnEncodingRules.DER, initialCapacity: 256);
        using (data.PushSequence())
        {
            using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
            {
                data.WriteOctetString(signer.KeyHash);
            }

            data.WriteGeneralizedTime(thisUpdate, omitFractionalSeconds: true);
            using (data.PushSequence())
            {
                for (var i = 0; i < ids.Count; i++)
                {
                    using (data.PushSequence())
                    {
                        data.WriteEncodedValue(ids[i].Encoded);
                        var status = statuses[i];
                        if (status.Kind == StatusKind.Unknown)
                        {
                            data.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 2));
                        }
                        else if (status.Kind == StatusKind.Revoked)
                        {
                            using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                            {
                                data.WriteGeneralizedTime(Whole(status.RevokedAt), omitFractionalSeconds: true);
                                if (status.Reason != RevocationReason.Unspecified)
                                {
                                    using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                                    {
                                        data.WriteEnumeratedValue(status.Reason);
                                    }
                                }
                            }
                        }
                        else
                        {
                            data.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 0));
                        }

                        data.WriteGeneralizedTime(thisUpdate, omitFractionalSeconds: true);
                        using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                        {
                            data.WriteGeneralizedTime(nextUpdate, omitFractionalSeconds: true);
                        }
                    }
                }
            }

            if (nonce is not null)
            {
                using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                using (data.PushSequence())
                using (data.PushSequence())
                {
                    data.WriteObjectIdentifier(Oids.OcspNonce);
                    data.WriteOctetString(nonce);
                }
            }
        }

        return signer.Envelope(data);
    }

    private static OcspCertStatus CertStatusOf(Status status) => status.Kind switch
    {
        StatusKind.Good => OcspCertStatus.Good,
        StatusKind.Revoked => OcspCertStatus.Revoked,
        _ => OcspCertStatus.Unknown,
    };

    private static DateTimeOffset Whole(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private enum StatusKind
    {
        Good,
        Revoked,
        Unknown,
    }

    private sealed record Status(StatusKind Kind, DateTimeOffset RevokedAt, RevocationReason Reason)
    {
        public static readonly Status Good = new(StatusKind.Good, default, default);

        public static readonly Status Unknown = new(StatusKind.Unknown, default, default);

        public static Status Revoked(RevocationInfo revocation) => new(StatusKind.Revoked, revocation.RevokedAt, revocation.Reason);
    }

    /// <summary>A signed cacheable answer in memory; <see cref="Status"/> is null when it is not known here (e.g. "unknown").</summary>
    private sealed class Cached(byte[] der, string serialHex, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, DateTimeOffset refreshAt, Status? status, OcspCertStatus certStatus)
    {
        private OcspAnswer? _answer;

        public string SerialHex => serialHex;

        public DateTimeOffset NextUpdate => nextUpdate;

        public DateTimeOffset RefreshAt => refreshAt;

        public Status? Status => status;

        public OcspAnswer Answer(bool fromCache)
        {
            var answer = _answer ??= new OcspAnswer(OcspStatus.Successful, der, true)
            {
                CertStatus = certStatus,
                ThisUpdate = thisUpdate,
                NextUpdate = nextUpdate,
                RefreshAt = refreshAt,
                ETag = Convert.ToHexString(SHA256.HashData(der)),
            };
            return fromCache ? answer : answer with { FromCache = false };
        }
    }

    /// <summary>A token bucket refilled on the injected clock's timestamps: at most <c>rate</c> takes per second, bursts of <c>rate</c>.</summary>
    private sealed class TokenBucket(int rate, TimeProvider clock)
    {
        private readonly object _gate = new();
        private double _tokens = rate;
        private long _last = clock.GetTimestamp();

        public bool TryTake()
        {
            if (rate <= 0)
            {
                return false;
            }

            lock (_gate)
            {
                var now = clock.GetTimestamp();
                _tokens = Math.Min(rate, _tokens + ((now - _last) * (double)rate / clock.TimestampFrequency));
                _last = now;
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens--;
                return true;
            }
        }
    }
}
