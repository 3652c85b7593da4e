using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Jpki.Authority.Audit;
using Jpki.Authority.Contracts;
using Jpki.Authority.Crl;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Authority.Ca;

/// <summary>
/// The two JPKI CAs at work: issues, renews and revokes end-entity certificates, recording each in the registry and the
/// audit log, and answers linkage questions (JPKI-REFERENCE §6–8). Thread-safe. Owns neither the registry nor the CAs.
/// </summary>
public sealed class CertificateAuthority
{
    private const int MaxSerialAttempts = 8;
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private readonly ICertificateRegistry _registry;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly IIdentifierSource _ids;
    private readonly IAuditedRegistry? _journal;
    private readonly SemaphoreSlim[] _requestGates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Creates the authority over two CAs, a registry and an audit log.</summary>
    public CertificateAuthority(IssuingCa signCa, IssuingCa authCa, ICertificateRegistry registry, IAuditLog audit, TimeProvider clock, AuthorityOptions options, IIdentifierSource? ids = null)
    {
        ArgumentNullException.ThrowIfNull(signCa);
        ArgumentNullException.ThrowIfNull(authCa);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        PublicBaseUrl.Check(options.PublicBaseUrl, nameof(options));
        if (signCa.Kind != CertificateKind.Signature || authCa.Kind != CertificateKind.Authentication)
        {
            throw new ArgumentException("The first CA issues signature certificates, the second authentication certificates.", nameof(signCa));
        }

        SignCa = signCa;
        AuthCa = authCa;
        _registry = registry;
        _audit = audit;
        _clock = clock;
        Options = options;
        _ids = ids ?? RandomIdentifierSource.Instance;

        // When the registry is also the audit log (both stores are), a certificate and its entry commit together.
        _journal = ReferenceEquals(registry, audit) ? registry as IAuditedRegistry : null;
    }

    /// <summary>
    /// Where issuances, refusals and revocations are logged (events 4120–4125: serials, kinds, refusal codes, reasons and
    /// actors — never the holder's data or keys); <see cref="NullLogger.Instance"/> until a host sets it.
    /// </summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Raised after a revocation is durable, with the CA kind and the serial (the OCSP cache and CRL publisher listen).</summary>
    public event EventHandler<RevokedEventArgs>? Revoked;

    /// <summary>The signature CA.</summary>
    public IssuingCa SignCa { get; }

    /// <summary>The authentication CA.</summary>
    public IssuingCa AuthCa { get; }

    /// <summary>The settings.</summary>
    public AuthorityOptions Options { get; }

    /// <summary>The registry.</summary>
    public ICertificateRegistry Registry => _registry;

    /// <summary>The clock.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>The CA of <paramref name="kind"/>.</summary>
    public IssuingCa CaOf(CertificateKind kind) => kind == CertificateKind.Signature ? SignCa : AuthCa;

    /// <summary>
    /// Issues a certificate, registers it durably and records <c>cert.issue</c> — in one transaction when the registry
    /// is also the audit log (<see cref="IAuditedRegistry"/>). A serial collision in the registry draws a new serial and
    /// signs again.
    /// </summary>
    /// <exception cref="ArgumentException">Missing basic 4 info for sign, or an unusable public key.</exception>
    /// <exception cref="IssueRequestException">What <see cref="IssueRequestValidator"/> refuses: bad ids, an expiry past or
    /// beyond the CA's, an exponent other than 65537, a CA's own key, text outside the JPKI set or with control characters,
    /// substitution flags of the wrong length, a birth date in the future, a previous serial that is unknown, another
    /// holder's or of the other kind.</exception>
    /// <exception cref="IssuanceRequestConflictException">The request id was already used for a different request.</exception>
    /// <remarks>
    /// With a <see cref="IssueRequest.RequestId"/> the issuance is idempotent and durable (<see cref="IIssuanceRequestLog"/>):
    /// a repeat of the same request answers the certificate issued the first time (same serial, same bytes), or throws the
    /// refusal answered the first time (an <see cref="IssueRequestException"/> with the same code, field and sentence),
    /// across restarts and processes on the registry; the same id with another request is refused.
    /// </remarks>
    public async Task<CertificateRecord> IssueAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await IssueOnceAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (IssueRequestException e)
        {
            Log.IssuanceRefused(Logger, IssuingCa.SlugOf(request.Kind), e.Code, e.Field, request.Actor);
            throw;
        }
        catch (JpkiProfileException)
        {
            Log.IssuanceRefused(Logger, IssuingCa.SlugOf(request.Kind), "bad-subject", null, request.Actor);
            throw;
        }
        catch (IssuanceRequestConflictException)
        {
            Log.IssuanceRequestConflict(Logger, request.RequestId ?? "");
            throw;
        }
    }

    private async Task<CertificateRecord> IssueOnceAsync(IssueRequest request, CancellationToken cancellationToken)
    {
        if (request.RequestId is null)
        {
            return await IssueNewAsync(request, null, cancellationToken).ConfigureAwait(false);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(request.Actor, nameof(request));
        var log = _registry as IIssuanceRequestLog
            ?? throw new InvalidOperationException("This registry keeps no issuance request ids: send the request without one.");
        var key = new IssuanceRequestKey(request.RequestId, request.ComputeDigest());

        // One attempt per request id at a time in this process (a double click, a retry racing the first attempt):
        // the second waits and answers the first's outcome instead of signing a certificate that cannot be stored.
        var gate = _requestGates[(StringComparer.Ordinal.GetHashCode(key.RequestId) & int.MaxValue) % _requestGates.Length];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await RecordedOutcomeAsync(log, key, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                Log.IssuanceRepeated(Logger, key.RequestId, earlier.SerialHex);
                return earlier;
            }

            try
            {
                return await IssueNewAsync(request, key, cancellationToken).ConfigureAwait(false);
            }
            catch (DuplicateIssuanceRequestException)
            {
                // Another process issued under this id first: its outcome is the answer.
                return await RecordedOutcomeAsync(log, key, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The registry reported the request id as used but holds no certificate for it.");
            }
            catch (Exception e) when (e is IssueRequestException or JpkiProfileException)
            {
                // A refusal of this request: recorded (the first recorded outcome stands) and answered the same way to every repeat.
                var code = e is IssueRequestException r ? r.Code : "bad-subject";
                var field = (e as IssueRequestException)?.Field;
                await log.RecordRefusalAsync(new IssuanceRefusal(key, request.Actor, code, field, e.Message, _clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                return await RecordedOutcomeAsync(log, key, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The refusal just recorded is not in the registry.");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The outcome recorded for <paramref name="key"/>'s id: the certificate, or null when none; a recorded refusal is thrown
    /// again, and an id recorded with another request throws <see cref="IssuanceRequestConflictException"/>.
    /// </summary>
    private static async Task<CertificateRecord?> RecordedOutcomeAsync(IIssuanceRequestLog log, IssuanceRequestKey key, CancellationToken cancellationToken)
    {
        if (await log.FindByRequestIdAsync(key.RequestId, cancellationToken).ConfigureAwait(false) is { } issued)
        {
            return issued.Request!.Matches(key.Digest.Span) ? issued : throw new IssuanceRequestConflictException();
        }

        if (await log.FindRefusalAsync(key.RequestId, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            throw refused.Request.Matches(key.Digest.Span)
                ? new IssueRequestException(refused.Code, refused.Field, refused.Detail)
                : new IssuanceRequestConflictException();
        }

        return null;
    }

    private async Task<CertificateRecord> IssueNewAsync(IssueRequest request, IssuanceRequestKey? key, CancellationToken cancellationToken)
    {
        // The card and holder ids are checked by IssueRequestValidator (a refusal with its code); the actor is ours, not the wire's.
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Actor, nameof(request));
        if (request.Kind == CertificateKind.Signature && request.Signature is null)
        {
            throw new IssueRequestException("missing", "signature", "A signature certificate needs the prefecture, municipality and basic 4 info.");
        }

        using var activity = AuthorityTelemetry.Source.StartActivity("jpki.certificate.issue");
        activity?.SetTag("jpki.kind", IssuingCa.SlugOf(request.Kind));
        var ca = CaOf(request.Kind);
        var publicKey = ReadPublicKey(request.SubjectPublicKeyInfo.Span, ca.Key.SignatureAlgorithm);
        IssueRequestValidator.Check(request, ca, request.Kind == CertificateKind.Signature ? AuthCa : SignCa, publicKey, _clock.GetUtcNow());
        string? previous = null;
        if (request.PreviousSerialHex is not null)
        {
            if (!SerialNumbers.TryNormalize(request.PreviousSerialHex, out var normalized))
            {
                throw new IssueRequestException("bad-previous", "previousSerial", "The previous serial is not hexadecimal.");
            }

            IssueRequestValidator.CheckPrevious(request, await _registry.FindBySerialAsync(normalized, cancellationToken).ConfigureAwait(false));
            previous = normalized;
        }

        var notAfter = Jpki.Core.Time.JapanTime.EndOfDay(request.ExpiryDate);
        if (notAfter > new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime()))
        {
            // Its CRL partition would lie beyond every partition the CA publishes, and nothing outlives its CA.
            throw new IssueRequestException("outlives-ca", "expiryDate", "The expiry date is after the CA certificate's own expiry.");
        }

        // The CRL partition is fixed here, written into the certificate and the registry (docs/authority.md).
        var partition = CrlPartitions.Of(notAfter, Options.CrlPartitionMonths);
        for (var attempt = 1; ; attempt++)
        {
            var serial = _ids.NextSerial();
            var now = _clock.GetUtcNow();
            var commonName = _ids.NextSubjectId();
            var der = EndEntityProfile.Build(ca, publicKey, commonName, request.Kind == CertificateKind.Signature ? request.Signature : null, serial, now, request.ExpiryDate, Options.PublicBaseUrl, partition);
            var record = new CertificateRecord(SerialNumbers.ToHex(serial), request.Kind, request.CardId, request.HolderId, CaCertificateProfile.Truncate(now), notAfter, now, previous, der, null)
            {
                CrlPartition = partition,
                Request = key,
            };
            var auditDetails = new Dictionary<string, string?>
            {
                ["kind"] = ca.Slug,
                ["card"] = request.CardId,
                ["holder"] = request.HolderId,
                ["notAfter"] = record.NotAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["previous"] = previous,
            };
            if (key is not null)
            {
                auditDetails["request"] = key.RequestId;
            }

            var details = JsonSerializer.Serialize(auditDetails);
            var entry = new AuditEntry(now, request.Actor, "cert.issue", record.SerialHex, details);
            try
            {
                if (_journal is not null)
                {
                    await _journal.AddWithAuditAsync(record, entry, cancellationToken).ConfigureAwait(false);
                    AuthorityTelemetry.Issued(request.Kind);
                    Log.CertificateIssued(Logger, ca.Slug, record.SerialHex, request.Actor, previous);
                    return record;
                }

                await _registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
            }
            catch (DuplicateSerialException) when (attempt < MaxSerialAttempts)
            {
                // PostgreSQL's batch writer reports a taken request id as a duplicate too: then the id's outcome is the answer.
                if (key is not null && _registry is IIssuanceRequestLog log
                    && await log.FindByRequestIdAsync(key.RequestId, cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw new DuplicateIssuanceRequestException($"A certificate was already issued under request id {key.RequestId}.");
                }

                continue;
            }

            await _audit.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            AuthorityTelemetry.Issued(request.Kind);
            Log.CertificateIssued(Logger, ca.Slug, record.SerialHex, request.Actor, previous);
            return record;
        }
    }

    /// <summary>
    /// Registers a delegated OCSP signer certificate issued by the CA of <paramref name="kind"/> (card and holder
    /// <c>ocsp-signer</c>) and records <c>ocsp.signer</c>, so every certificate the CA keys signed is in the registry. It
    /// is filed in the CRL partition of its notAfter like an end-entity certificate: revoked (its key compromised), it is
    /// listed there, so a CA that publishes partitions only (no full CRL) can still cover it.
    /// </summary>
    internal async Task RecordOcspSignerAsync(CertificateKind kind, byte[] serial, DateTimeOffset issuedAt, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] der, CancellationToken cancellationToken)
    {
        const string Signer = "ocsp-signer";
        var now = issuedAt;
        var record = new CertificateRecord(SerialNumbers.ToHex(serial), kind, Signer, Signer, CaCertificateProfile.Truncate(notBefore), CaCertificateProfile.Truncate(notAfter), now, null, der, null)
        {
            CrlPartition = CrlPartitions.Of(CaCertificateProfile.Truncate(notAfter), Options.CrlPartitionMonths),
        };
        var details = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kind"] = IssuingCa.SlugOf(kind),
            ["notAfter"] = record.NotAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["sha256"] = Convert.ToHexString(SHA256.HashData(der)),
        });
        var entry = new AuditEntry(now, "system", "ocsp.signer", record.SerialHex, details);
        if (_journal is not null)
        {
            await _journal.AddWithAuditAsync(record, entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Revokes a certificate with an RFC 5280 reason (JPKI has no hold; a revocation is final) and records
    /// <c>cert.revoke</c> — in the same transaction when the registry is also the audit log. <paramref name="revokedAt"/>
    /// defaults to now; it may lie in the past (back to the certificate's notBefore) but not in the future: a future
    /// revocation date would let verifiers accept the certificate until then. A time up to
    /// <see cref="RevocationClockSkew"/> ahead (another machine's clock) is taken as now.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revokedAt"/> is later than now plus the allowance, or before the certificate's notBefore.</exception>
    public async Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, DateTimeOffset? revokedAt, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!SerialNumbers.TryNormalize(serialHex, out var serial))
        {
            throw new ArgumentException("The serial is not hex.", nameof(serialHex));
        }

        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a CRLReason JPKI uses.");
        }

        using var activity = AuthorityTelemetry.Source.StartActivity("jpki.certificate.revoke");
        var now = _clock.GetUtcNow();
        var existing = await _registry.FindBySerialAsync(serial, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            activity?.SetTag("jpki.result", WireNames.Of(RevokeResult.NotFound));
            Log.RevocationNotDone(Logger, serial, actor, WireNames.Of(RevokeResult.NotFound));
            return RevokeResult.NotFound;
        }

        activity?.SetTag("jpki.kind", IssuingCa.SlugOf(existing.Kind));

        var at = CaCertTime(RevocationTime(revokedAt, now, existing));
        var details = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kind"] = IssuingCa.SlugOf(existing.Kind),
            ["reason"] = reason.ToString(),
            ["revokedAt"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });
        var entry = new AuditEntry(now, actor, "cert.revoke", serial, details);
        RevokeResult result;
        if (_journal is not null)
        {
            result = await _journal.RevokeWithAuditAsync(serial, reason, at, now, entry, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            result = await _registry.RevokeAsync(serial, reason, at, now, cancellationToken).ConfigureAwait(false);
            if (result == RevokeResult.Revoked)
            {
                await _audit.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }

        activity?.SetTag("jpki.result", WireNames.Of(result));
        if (result == RevokeResult.Revoked)
        {
            AuthorityTelemetry.Revoked(existing.Kind, reason);
            Log.CertificateRevoked(Logger, IssuingCa.SlugOf(existing.Kind), serial, WireNames.Of(reason), actor);
            Revoked?.Invoke(this, new RevokedEventArgs(existing.Kind, serial));
        }
        else
        {
            Log.RevocationNotDone(Logger, serial, actor, WireNames.Of(result));
        }

        return result;
    }

    /// <summary>The linkage of <paramref name="serialHex"/> (JPKI-REFERENCE §8.3), or null when unknown.</summary>
    public async Task<CertificateLinkage?> LinkageAsync(string serialHex, CancellationToken cancellationToken)
    {
        if (!SerialNumbers.TryNormalize(serialHex, out var serial))
        {
            return null;
        }

        var record = await _registry.FindBySerialAsync(serial, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var holder = await _registry.FindByHolderAsync(record.HolderId, cancellationToken).ConfigureAwait(false);
        var bySerial = holder.ToDictionary(r => r.SerialHex, StringComparer.Ordinal);
        var predecessors = new List<string>();
        for (var p = record.PreviousSerialHex; p is not null && !predecessors.Contains(p); p = bySerial.TryGetValue(p, out var r) ? r.PreviousSerialHex : null)
        {
            predecessors.Insert(0, p);
        }

        var successors = new List<string>();
        var current = serial;
        while (holder.FirstOrDefault(r => r.PreviousSerialHex == current && !successors.Contains(r.SerialHex)) is { } next)
        {
            successors.Add(next.SerialHex);
            current = next.SerialHex;
        }

        var other = holder.Where(r => r.Kind != record.Kind).Select(r => r.SerialHex).ToList();
        return new CertificateLinkage(serial, predecessors, successors, other);
    }

    /// <summary>How far ahead of this authority's clock a requested revocation time may be (and is then taken as now).</summary>
    public static readonly TimeSpan RevocationClockSkew = TimeSpan.FromMinutes(5);

    private static DateTimeOffset CaCertTime(DateTimeOffset instant) => CaCertificateProfile.Truncate(instant);

    private static DateTimeOffset RevocationTime(DateTimeOffset? requested, DateTimeOffset now, CertificateRecord certificate)
    {
        if (requested is not { } at || (at > now && at <= now + RevocationClockSkew))
        {
            return now;
        }

        if (at > now)
        {
            throw new ArgumentOutOfRangeException(nameof(requested), at, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"A revocation cannot be dated in the future ({at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is after now, {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}): verifiers would accept the certificate until then. Omit the time to revoke now."));
        }

        if (at < certificate.NotBefore)
        {
            throw new ArgumentOutOfRangeException(nameof(requested), at, "A revocation cannot be dated before the certificate's notBefore.");
        }

        return at;
    }

    /// <summary>Reads the subject key: RSA-2048 under today's CAs, ECDSA P-384 under a next-generation (nextgen) CA.</summary>
    private static PublicKey ReadPublicKey(ReadOnlySpan<byte> spki, Keys.CaSignatureAlgorithm profile)
    {
        try
        {
            var key = PublicKey.CreateFromSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                throw new IssueRequestException("bad-public-key", "subjectPublicKeyInfo", "Trailing bytes after the SubjectPublicKeyInfo.");
            }

            if (profile == Keys.CaSignatureAlgorithm.EcdsaWithSha384)
            {
                using var ec = key.Oid.Value == EcPublicKey ? key.GetECDsaPublicKey() : null;
                if (ec is null || ec.KeySize != 384 || !ec.ExportParameters(false).Curve.IsNamed)
                {
                    throw new IssueRequestException("bad-public-key", "subjectPublicKeyInfo", "Next-generation subject keys are ECDSA P-384.");
                }

                return key;
            }

            if (key.Oid.Value != RsaEncryption)
            {
                throw new IssueRequestException("bad-public-key", "subjectPublicKeyInfo", "The subject key is not RSA.");
            }

            // Read RSAPublicKey ourselves: importing the key into an RSA object costs about as much as a third of the
            // CA's signature, on every issuance, only to learn its size.
            if (RsaModulusBits(key.EncodedKeyValue.RawData) != 2048)
            {
                throw new IssueRequestException("bad-public-key", "subjectPublicKeyInfo", "JPKI subject keys are RSA-2048.");
            }

            return key;
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            throw new IssueRequestException("bad-public-key", "subjectPublicKeyInfo", "Not a DER SubjectPublicKeyInfo.", ex);
        }
    }

    /// <summary>The bit length of the modulus of a DER RSAPublicKey (RFC 8017 A.1.1); positive modulus, odd exponent ≥ 3.</summary>
    private static int RsaModulusBits(byte[] rsaPublicKey)
    {
        var reader = new AsnReader(rsaPublicKey, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var modulus = sequence.ReadIntegerBytes().Span;
        var exponent = sequence.ReadIntegerBytes().Span;
        sequence.ThrowIfNotEmpty();
        if ((modulus[0] & 0x80) != 0 || (exponent[0] & 0x80) != 0 || (exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3))
        {
            throw new IssueRequestException("bad-public-key", "subjectPublicKeyInfo", "Not a usable RSA public key.");
        }

        if (modulus[0] == 0)
        {
            modulus = modulus[1..];
        }

        if (modulus.IsEmpty)
        {
            throw new IssueRequestException("bad-public-key", "subjectPublicKeyInfo", "Not a usable RSA public key.");
        }

        return ((modulus.Length - 1) * 8) + (8 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]) + 24);
    }
}
