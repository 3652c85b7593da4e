using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;
using Jpki.Verification.Paths;

namespace Jpki.Verification.Revocation;

/// <summary>
/// Revocation status from CRLs: loaded from files/bytes, or downloaded over an injected <see cref="HttpClient"/>
/// from the certificate's cRLDistributionPoints (or a fixed URI). Every CRL is verified against the issuer chosen by
/// path validation (the CA generation whose key signed the certificate) and used only for the certificates its scope
/// covers (RFC 5280 §6.3.3): a CRL without issuingDistributionPoint covers every certificate of its issuer, a
/// partitioned CRL only those whose cRLDistributionPoints name its distribution point.
/// </summary>
/// <remarks>
/// <para><b>Newest wins, never the last added.</b> Among the CRLs of one issuer key and one scope, the one with the
/// highest cRLNumber is used (then the latest thisUpdate), whatever the order they were added or downloaded in; once a
/// CRL was seen, an older one of the same scope is never used again (a replayed or rolled-back CRL that still lists a
/// since-revoked certificate as absent is refused), even when the newer one has become stale — then the answer is
/// <see cref="RevocationState.Unknown"/>.</para>
/// <para><b>Delta CRLs</b> (RFC 5280 §5.2.4) are applied when <see cref="CrlSourceOptions.UseDeltas"/> (default): the
/// newest delta of the same scope whose BaseCRLNumber is at most the complete CRL's number and whose own number is
/// higher, loaded or downloaded from the freshestCRL of the certificate or of the complete CRL. Without a usable delta
/// the complete CRL alone answers.</para>
/// <para>A CRL without nextUpdate, past its nextUpdate, or not signed by the issuer yields
/// <see cref="RevocationState.Unknown"/>, which the verifier turns into a fail-closed verdict.</para>
/// </remarks>
public sealed class CrlRevocationSource : IRevocationSource
{
    private static readonly ConditionalWeakTable<X509Certificate2, string> PointKeys = [];

    private readonly HttpClient? _http;
    private readonly CrlSourceOptions _options;
    private readonly object _gate = new();
    private readonly List<CertificateRevocationList> _loaded = [];
    private readonly Dictionary<string, CertificateRevocationList> _downloaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CertificateRevocationList> _newestSeen = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<CertificateRevocationList, ConcurrentDictionary<string, bool>> _signatures = [];
    private readonly ConcurrentDictionary<string, Selection> _selected = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _selecting = new(1, 1);

    /// <summary>A source of loaded CRLs only (no downloads).</summary>
    public CrlRevocationSource(CrlSourceOptions? options = null)
        : this(null, options)
    {
    }

    /// <summary>A source that downloads CRLs with <paramref name="http"/> (null: loaded CRLs only).</summary>
    public CrlRevocationSource(HttpClient? http, CrlSourceOptions? options = null)
    {
        _http = http;
        _options = options ?? new CrlSourceOptions();
    }

    /// <summary>
    /// Adds a decoded CRL (complete or delta). It is used only for certificates whose issuer's key verifies it and
    /// whose scope it covers; the order of adding does not matter (the newest of a scope wins).
    /// </summary>
    public CrlRevocationSource Add(CertificateRevocationList crl)
    {
        ArgumentNullException.ThrowIfNull(crl);
        lock (_gate)
        {
            _loaded.Add(crl);
            _selected.Clear();
        }

        return this;
    }

    /// <summary>Decodes and adds a CRL from DER or PEM bytes.</summary>
    /// <exception cref="RevocationDataException">The bytes are not a usable CRL.</exception>
    public CrlRevocationSource Add(ReadOnlyMemory<byte> derOrPem) => Add(CertificateRevocationList.Decode(derOrPem));

    /// <inheritdoc/>
    public async ValueTask<RevocationStatus> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var key = string.Concat(CertificateHashes.Sha256Hex(issuer), ":", PointKeys.GetValue(certificate, PointKey));
        if (!_selected.TryGetValue(key, out var selection) || !selection.IsFresh(at, _options.ClockSkew))
        {
            await _selecting.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_selected.TryGetValue(key, out selection) || !selection.IsFresh(at, _options.ClockSkew))
                {
                    var (found, why) = await SelectAsync(certificate, issuer, at, cancellationToken).ConfigureAwait(false);
                    if (found is null)
                    {
                        return RevocationStatus.Unknown(why);
                    }

                    selection = found;
                    _selected[key] = selection;
                }
            }
            finally
            {
                _selecting.Release();
            }
        }

        return Evaluate(selection, certificate, at);
    }

    private static RevocationStatus Evaluate(Selection selection, X509Certificate2 certificate, DateTimeOffset at)
    {
        var crl = selection.Complete;
        var source = string.Create(CultureInfo.InvariantCulture, $"CRL {Describe(crl)} of {crl.IssuerName.Name} issued {crl.ThisUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        if (selection.Delta is { } delta)
        {
            source += string.Create(CultureInfo.InvariantCulture, $" with delta CRL #{delta.Number} issued {delta.ThisUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        }
        else if (selection.DeltaNote is { } note)
        {
            source += $" (no delta CRL applied: {note})";
        }

        var serial = certificate.SerialNumberBytes.Span;
        try
        {
            if (selection.Delta is { } d && d.TryGetEntry(serial, out var changed))
            {
                // A delta entry replaces the complete CRL's: removeFromCRL un-lists a held certificate (§5.3.1).
                // A revocation date after the list's thisUpdate counts from thisUpdate (RevocationTimes, issue 12).
                var changedAt = RevocationTimes.NoLaterThan(changed.RevokedAt, d.ThisUpdate);
                return changed.Reason != RevocationReason.RemoveFromCrl && changedAt <= at
                    ? RevocationStatus.Revoked(source, changedAt, changed.Reason)
                    : RevocationStatus.Good(source);
            }

            if (crl.TryGetEntry(serial, out var entry) && entry.Reason != RevocationReason.RemoveFromCrl)
            {
                var revokedAt = RevocationTimes.NoLaterThan(entry.RevokedAt, crl.ThisUpdate);
                if (revokedAt <= at)
                {
                    return RevocationStatus.Revoked(source, revokedAt, entry.Reason);
                }
            }
        }
        catch (RevocationDataException e)
        {
            // Listed, but the entry cannot be read: neither good nor a known revocation (fail closed).
            return RevocationStatus.Unknown($"{source}: {e.Message}");
        }

        return RevocationStatus.Good(source);
    }

    private static string Describe(CertificateRevocationList crl) =>
        (crl.Number is { } n ? "#" + n.ToString(CultureInfo.InvariantCulture) : "without number")
        + (crl.Scope is { } scope ? " (partition " + string.Join(", ", scope.DistributionPointUris) + ")" : string.Empty);

    private static string PointKey(X509Certificate2 certificate)
    {
        var points = certificate.Extensions[JpkiOids.CrlDistributionPoints]?.RawData ?? [];
        var freshest = certificate.Extensions[JpkiOids.FreshestCrl]?.RawData ?? [];
        return points.Length == 0 && freshest.Length == 0 ? "-" : Convert.ToHexString(SHA256.HashData([.. points, 0xFF, .. freshest]));
    }

    private static string ScopeKey(X509Certificate2 issuer, CertificateRevocationList crl) => string.Concat(
        CertificateHashes.Sha256Hex(issuer),
        crl.IsDelta ? ":delta:" : ":complete:",
        crl.Scope is { } scope ? Convert.ToHexString(scope.Encoded.Span) : "-");

    private async Task<(Selection? Selection, string Why)> SelectAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var (complete, why) = PickComplete(Snapshot(), certificate, issuer);
        if (complete is null || !IsFresh(complete, at))
        {
            if (complete is not null)
            {
                why = StaleMessage(complete, at);
            }

            if (_http is not null)
            {
                var uris = _options.DownloadUri is { } fixedUri ? [fixedUri] : DistributionPointReader.HttpUris(DistributionPointReader.CrlNamesOf(certificate));
                if (uris.Count == 0)
                {
                    return (null, $"{why} The certificate names no http CRL distribution point.");
                }

                foreach (var uri in uris)
                {
                    var (downloaded, problem) = await DownloadAsync(uri, delta: false, certificate, issuer, cancellationToken).ConfigureAwait(false);
                    if (downloaded is not null)
                    {
                        (complete, why) = PickComplete(Snapshot(), certificate, issuer);
                    }
                    else
                    {
                        why = problem;
                    }

                    if (complete is not null && IsFresh(complete, at))
                    {
                        break;
                    }
                }
            }

            if (complete is null)
            {
                return (null, why);
            }

            if (!IsFresh(complete, at))
            {
                var stale = StaleMessage(complete, at);
                return (null, why.Length > 0 && why != stale ? $"{stale} {why}" : stale);
            }
        }

        if (!_options.UseDeltas)
        {
            return (new Selection(complete, null, null), string.Empty);
        }

        var (delta, note) = PickDelta(Snapshot(), complete, issuer, at);
        if (delta is null && _http is not null)
        {
            var freshest = DistributionPointReader.FreshestOf(certificate).Concat(complete.FreshestCrl).Distinct().ToList();
            foreach (var uri in freshest)
            {
                var (downloaded, problem) = await DownloadAsync(uri, delta: true, certificate, issuer, cancellationToken).ConfigureAwait(false);
                if (downloaded is null)
                {
                    note = problem;
                    continue;
                }

                (delta, note) = PickDelta(Snapshot(), complete, issuer, at);
                if (delta is not null)
                {
                    break;
                }
            }
        }

        return (new Selection(complete, delta, delta is null ? note : null), string.Empty);
    }

    private List<CertificateRevocationList> Snapshot()
    {
        lock (_gate)
        {
            return [.. _loaded, .. _downloaded.Values];
        }
    }

    /// <summary>The newest complete CRL covering the certificate, per scope and then by thisUpdate; records what it saw.</summary>
    private (CertificateRevocationList? Crl, string Why) PickComplete(List<CertificateRevocationList> pool, X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var why = $"No CRL of {issuer.Subject} is available.";
        CertificateRevocationList? best = null;
        foreach (var crl in pool)
        {
            if (crl.IsDelta || !crl.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
            {
                continue;
            }

            if (!SignedBy(crl, issuer))
            {
                why = $"The CRL named {crl.IssuerName.Name} is not signed by the key of the certificate's issuer; it was ignored.";
                continue;
            }

            if (crl.Scope is { } scope && !scope.Covers(certificate, out var notCovered))
            {
                why = $"The CRL {Describe(crl)} of {crl.IssuerName.Name} does not cover the certificate: {notCovered}.";
                continue;
            }

            if (Newest(issuer, crl) is not { } newest)
            {
                continue;
            }

            if (best is null || (newest.HasSameScope(best) ? newest.IsNewerThan(best) : newest.ThisUpdate > best.ThisUpdate))
            {
                best = newest;
            }
        }

        return (best, why);
    }

    /// <summary>The newest usable delta CRL for <paramref name="complete"/>, or why there is none.</summary>
    private (CertificateRevocationList? Delta, string Note) PickDelta(List<CertificateRevocationList> pool, CertificateRevocationList complete, X509Certificate2 issuer, DateTimeOffset at)
    {
        if (complete.Number is not { } baseNumber)
        {
            return (null, "the complete CRL has no cRLNumber");
        }

        CertificateRevocationList? best = null;
        var note = "none is available";
        foreach (var crl in pool)
        {
            if (!crl.IsDelta || !crl.HasSameScope(complete) || !crl.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData) || !SignedBy(crl, issuer))
            {
                continue;
            }

            if (crl.DeltaBase > baseNumber || crl.Number is not { } number || number <= baseNumber)
            {
                note = string.Create(CultureInfo.InvariantCulture, $"delta CRL #{crl.Number} (base #{crl.DeltaBase}) does not apply to complete CRL #{baseNumber}");
                continue;
            }

            if (!IsFresh(crl, at))
            {
                note = "the delta CRL is stale: " + StaleMessage(crl, at);
                continue;
            }

            if (Newest(issuer, crl) is { } newest && (best is null || newest.IsNewerThan(best)))
            {
                best = newest;
            }
        }

        if (best is not null && !IsFresh(best, at))
        {
            return (null, "the newest delta CRL is stale: " + StaleMessage(best, at));
        }

        return (best, note);
    }

    /// <summary>
    /// Records <paramref name="crl"/> as seen for its issuer key and scope and returns the newest seen so far — so an
    /// older CRL never displaces a newer one, whichever was added or downloaded first.
    /// </summary>
    private CertificateRevocationList? Newest(X509Certificate2 issuer, CertificateRevocationList crl)
    {
        var key = ScopeKey(issuer, crl);
        lock (_gate)
        {
            if (!_newestSeen.TryGetValue(key, out var seen) || crl.IsNewerThan(seen))
            {
                _newestSeen[key] = crl;
                return crl;
            }

            return seen;
        }
    }

    private bool IsOlderThanSeen(X509Certificate2 issuer, CertificateRevocationList crl, out CertificateRevocationList? seen)
    {
        lock (_gate)
        {
            return _newestSeen.TryGetValue(ScopeKey(issuer, crl), out seen) && seen.IsNewerThan(crl);
        }
    }

    private bool SignedBy(CertificateRevocationList crl, X509Certificate2 issuer)
    {
        var verified = _signatures.GetValue(crl, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
        return verified.GetOrAdd(CertificateHashes.Sha256Hex(issuer), _ => crl.IsSignedBy(issuer));
    }

    private bool IsFresh(CertificateRevocationList crl, DateTimeOffset at) => crl.NextUpdate is { } next && at <= next + _options.ClockSkew;

    private async Task<(CertificateRevocationList? Crl, string Why)> DownloadAsync(Uri uri, bool delta, X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        CertificateRevocationList crl;
        try
        {
            crl = CertificateRevocationList.Decode(await DownloadBytesAsync(uri, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException or RevocationDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"The CRL at {uri} could not be used: {e.Message}");
        }

        if (crl.IsDelta != delta)
        {
            return (null, delta ? $"The CRL at {uri} is not a delta CRL." : $"The CRL at {uri} is a delta CRL, not a complete one.");
        }

        if (!crl.IsSignedBy(issuer))
        {
            return (null, $"The CRL at {uri} is not signed by the key of the certificate's issuer.");
        }

        if (!delta && crl.Scope is { } scope && !scope.Covers(certificate, out var notCovered))
        {
            return (null, $"The CRL at {uri} does not cover the certificate: {notCovered}.");
        }

        if (IsOlderThanSeen(issuer, crl, out var seen))
        {
            return (null, string.Create(CultureInfo.InvariantCulture,
                $"The CRL at {uri} ({Describe(crl)}, issued {crl.ThisUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}) is older than {Describe(seen!)} already seen for the same scope: a rolled-back CRL is never used."));
        }

        lock (_gate)
        {
            var slot = (delta ? "delta " : "complete ") + uri.AbsoluteUri;
            if (!_downloaded.TryGetValue(slot, out var previous) || crl.IsNewerThan(previous))
            {
                _downloaded[slot] = crl;
            }
        }

        return (crl, string.Empty);
    }

    private static string StaleMessage(CertificateRevocationList crl, DateTimeOffset at) => crl.NextUpdate is { } next
        ? string.Create(CultureInfo.InvariantCulture, $"The CRL {Describe(crl)} of {crl.IssuerName.Name} is stale: its nextUpdate {next.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is before the verification time {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.")
        : $"The CRL {Describe(crl)} of {crl.IssuerName.Name} has no nextUpdate, so its freshness cannot be judged.";

    private async Task<byte[]> DownloadBytesAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await _http!.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is { } length && length > _options.MaxDownloadBytes)
        {
            throw new RevocationDataException("The CRL is larger than the configured limit.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _options.MaxDownloadBytes)
                {
                    throw new RevocationDataException("The CRL is larger than the configured limit.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    /// <summary>The complete CRL chosen for a certificate and the delta applied to it, if any.</summary>
    private sealed record Selection(CertificateRevocationList Complete, CertificateRevocationList? Delta, string? DeltaNote)
    {
        public bool IsFresh(DateTimeOffset at, TimeSpan skew) =>
            Complete.NextUpdate is { } next && at <= next + skew && (Delta is null || (Delta.NextUpdate is { } d && at <= d + skew));
    }
}
