using System.Collections.Concurrent;
using System.Data.Common;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Ocsp;

/// <summary>
/// The RFC 6960 responder of both CAs. Each response is signed by the CA's delegated OCSP signer. A request for one
/// certificate without a nonce is answered from a cache of pre-signed responses (good or revoked), refreshed in the
/// background once half of a response's validity has passed and dropped when the certificate is revoked — so it costs
/// no RSA signature. A request with a nonce (RFC 8954) is signed per request, necessarily.
/// Signature-certificate status is given only to authorised verifiers unless the data is open (JPKI-REFERENCE §8.2).
/// </summary>
public sealed class OcspResponder : IDisposable
{
    private static readonly byte[] Malformed = [0x30, 0x03, 0x0A, 0x01, 0x01];
    private static readonly byte[] Unauthorized = [0x30, 0x03, 0x0A, 0x01, 0x06];
    private static readonly byte[] InternalError = [0x30, 0x03, 0x0A, 0x01, 0x02];

    private readonly CertificateAuthority _authority;
    private readonly OcspSigner _signSigner;
    private readonly OcspSigner _authSigner;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Cached>> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refreshing = new(StringComparer.Ordinal);
    private long _epoch;
    private readonly object _recordingGate = new();
    private readonly ConcurrentQueue<Func<Task>> _unrecorded = new();
    private Task _recording = Task.CompletedTask;
    private long _nextRecordingRetryTicks;

    /// <summary>Creates the responder and listens for revocations.</summary>
    public OcspResponder(CertificateAuthority authority, IIdentifierSource? ids = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
        ids ??= RandomIdentifierSource.Instance;
        _signSigner = new OcspSigner(authority.SignCa, authority.Clock, authority.Options.OcspSignerValidity, ids, (serial, at, nb, na, der) => Record(CertificateKind.Signature, serial, at, nb, na, der));
        _authSigner = new OcspSigner(authority.AuthCa, authority.Clock, authority.Options.OcspSignerValidity, ids, (serial, at, nb, na, der) => Record(CertificateKind.Authentication, serial, at, nb, na, der));
        _authority.Revoked += OnRevoked;
    }

    /// <summary>
    /// Completes when every delegated signer certificate issued so far is in the registry and the audit log
    /// (<c>ocsp.signer</c>). Signers are issued on the response path, which does not wait for the store; a recording
    /// that failed faults this task (the signer is still used: its responses stay verifiable) and stays queued, in order:
    /// it is tried again (at most once a second) when a later request is answered, so a registry outage delays the
    /// record but never loses it, nor blocks the recordings after it.
    /// </summary>
    public Task RecordingAsync => Volatile.Read(ref _recording);

    /// <summary>How many pre-signed responses are cached.</summary>
    public int CachedResponses => _cache.Values.Sum(v => v.Count);

    /// <summary>The current delegated signer certificate of <paramref name="kind"/> (DER).</summary>
    public ReadOnlyMemory<byte> SignerCertificate(CertificateKind kind) => SignerOf(kind).Current.CertificateDer;

    /// <summary>Answers a DER OCSPRequest.</summary>
    /// <param name="request">The request as received (POST body, or the decoded GET path).</param>
    /// <param name="verifierAuthorised">Whether the client presented a registered verifier key.</param>
    /// <param name="cancellationToken">Cancels the registry lookups.</param>
    public async Task<OcspAnswer> RespondAsync(ReadOnlyMemory<byte> request, bool verifierAuthorised, CancellationToken cancellationToken)
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
        var cacheable = parsed.CertIds.Count == 1 && parsed.NonceExtensionValue is null;
        if (cacheable)
        {
            var id = parsed.CertIds[0];
            if (_cache.TryGetValue(id.SerialHex, out var bySerial) && bySerial.TryGetValue(CacheKey(id), out var cached) && now < cached.NextUpdate
                && await StillGoodAsync(id, cached, now, cancellationToken).ConfigureAwait(false))
            {
                if (now >= cached.RefreshAt)
                {
                    RefreshInBackground(ca, id);
                }

                return new OcspAnswer(OcspStatus.Successful, cached.Der, true);
            }
        }

        try
        {
            var epoch = Interlocked.Read(ref _epoch);
            var (der, cacheableStatus, good) = await BuildAsync(ca, parsed.CertIds, parsed.NonceExtensionValue, now, cancellationToken).ConfigureAwait(false);
            if (cacheable && cacheableStatus && Interlocked.Read(ref _epoch) == epoch)
            {
                Store(parsed.CertIds[0], der, now, good);
            }

            return new OcspAnswer(OcspStatus.Successful, der, false);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or InvalidOperationException)
        {
            return new OcspAnswer(OcspStatus.InternalError, InternalError, false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _authority.Revoked -= OnRevoked;
        _signSigner.Dispose();
        _authSigner.Dispose();
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

    private static string CacheKey(OcspCertId id) => Convert.ToBase64String(id.Encoded);

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

    private void Store(OcspCertId id, byte[] der, DateTimeOffset now, bool good)
    {
        var validity = _authority.Options.OcspResponseValidity;
        var bySerial = _cache.GetOrAdd(id.SerialHex, _ => new ConcurrentDictionary<string, Cached>(StringComparer.Ordinal));
        bySerial[CacheKey(id)] = new Cached(der, now + (validity / 2), now + validity, good) { CheckedAtTicks = now.UtcTicks };
    }

    /// <summary>
    /// A cached "good" answer older than <see cref="AuthorityOptions.OcspGoodRecheck"/> is checked against the registry:
    /// another process may have revoked the certificate (this process's revocations drop the entry through
    /// <see cref="OnRevoked"/>). Revoked answers never need it — a revocation is never undone.
    /// </summary>
    private async ValueTask<bool> StillGoodAsync(OcspCertId id, Cached cached, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!cached.Good || now.UtcTicks - Interlocked.Read(ref cached.CheckedAtTicks) < _authority.Options.OcspGoodRecheck.Ticks)
        {
            return true;
        }

        CertificateRecord? record;
        try
        {
            record = await _authority.Registry.FindBySerialAsync(id.SerialHex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException)
        {
            // The registry is down: the cached answer is still a signed, unexpired statement of the status the registry
            // gave — what a responder serving pre-produced responses (RFC 6960 §2.2, RFC 5019) answers anyway. Serve it
            // and ask again after the recheck interval; never turn an unreachable registry into "revoked" or an error.
            Interlocked.Exchange(ref cached.CheckedAtTicks, now.UtcTicks);
            return true;
        }

        if (record is not null && record.Revocation is null)
        {
            Interlocked.Exchange(ref cached.CheckedAtTicks, now.UtcTicks);
            return true;
        }

        Interlocked.Increment(ref _epoch);
        _cache.TryRemove(id.SerialHex, out _);
        return false;
    }

    private void RefreshInBackground(IssuingCa ca, OcspCertId id)
    {
        var key = CacheKey(id);
        if (!_refreshing.TryAdd(key, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var epoch = Interlocked.Read(ref _epoch);
                var now = _authority.Clock.GetUtcNow();
                var (der, cacheableStatus, good) = await BuildAsync(ca, [id], null, now, CancellationToken.None).ConfigureAwait(false);
                if (cacheableStatus && Interlocked.Read(ref _epoch) == epoch)
                {
                    Store(id, der, now, good);
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or InvalidOperationException)
            {
                // The cached response stays valid until its nextUpdate; the next request tries again.
            }
            finally
            {
                _refreshing.TryRemove(key, out _);
            }
        });
    }

    private void OnRevoked(object? sender, RevokedEventArgs e)
    {
        Interlocked.Increment(ref _epoch);
        _cache.TryRemove(e.SerialHex, out _);
    }

    private async Task<(byte[] Der, bool Cacheable, bool Good)> BuildAsync(IssuingCa ca, IReadOnlyList<OcspCertId> ids, byte[]? nonce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var signer = SignerOf(ca.Kind).Current;
        var cacheable = true;
        var good = true;
        var data = new AsnWriter(AsnEncodingRules.DER);
        using (data.PushSequence())
        {
            using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
            {
                data.WriteOctetString(signer.KeyHash);
            }

            data.WriteGeneralizedTime(Whole(now), omitFractionalSeconds: true);
            using (data.PushSequence())
            {
                foreach (var id in ids)
                {
                    var record = await _authority.Registry.FindBySerialAsync(id.SerialHex, cancellationToken).ConfigureAwait(false);
                    using (data.PushSequence())
                    {
                        data.WriteEncodedValue(id.Encoded);
                        if (record is null || record.Kind != ca.Kind)
                        {
                            cacheable = false;
                            data.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 2));
                        }
                        else if (record.Revocation is { } revocation)
                        {
                            good = false;
                            using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                            {
                                data.WriteGeneralizedTime(Whole(revocation.RevokedAt), omitFractionalSeconds: true);
                                if (revocation.Reason != RevocationReason.Unspecified)
                                {
                                    using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                                    {
                                        data.WriteEnumeratedValue(revocation.Reason);
                                    }
                                }
                            }
                        }
                        else
                        {
                            data.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 0));
                        }

                        data.WriteGeneralizedTime(Whole(now), omitFractionalSeconds: true);
                        using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                        {
                            data.WriteGeneralizedTime(Whole(now + _authority.Options.OcspResponseValidity), omitFractionalSeconds: true);
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

        var responseData = data.Encode();
        var signature = signer.Key.SignData(responseData, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var basic = new AsnWriter(AsnEncodingRules.DER);
        using (basic.PushSequence())
        {
            basic.WriteEncodedValue(responseData);
            basic.WriteEncodedValue(Keys.CaKeySignatureGenerator.Sha256WithRsaAlgorithm);
            basic.WriteBitString(signature);
            using (basic.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (basic.PushSequence())
            {
                basic.WriteEncodedValue(signer.CertificateDer);
            }
        }

        var response = new AsnWriter(AsnEncodingRules.DER);
        using (response.PushSequence())
        {
            response.WriteEnumeratedValue(OcspStatus.Successful);
            using (response.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (response.PushSequence())
            {
                response.WriteObjectIdentifier(Oids.OcspBasic);
                response.WriteOctetString(basic.Encode());
            }
        }

        return (response.Encode(), cacheable, good);
    }

    private static DateTimeOffset Whole(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private sealed record Cached(byte[] Der, DateTimeOffset RefreshAt, DateTimeOffset NextUpdate, bool Good)
    {
        /// <summary>When the registry last confirmed a good answer (UTC ticks); read and written with Interlocked.</summary>
        public long CheckedAtTicks;
    }
}
