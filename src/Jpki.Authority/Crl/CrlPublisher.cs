using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Jpki.Authority.Audit;
using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Core.Identity;

namespace Jpki.Authority.Crl;

/// <summary>
/// Keeps one current full CRL per CA as a file: built on first request, rebuilt when half its validity has passed
/// (well before nextUpdate) and a short debounce after each revocation (<see cref="AuthorityOptions.CrlRebuildDelay"/>),
/// so a burst of revocations costs one rebuild. Each build allocates a CRL number and records <c>crl.publish</c>.
/// </summary>
public sealed class CrlPublisher : IDisposable
{
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);
    private readonly CertificateAuthority _authority;
    private readonly IAuditLog _audit;
    private readonly string _directory;
    private readonly ConcurrentDictionary<CertificateKind, PublishedCrl> _current = new();
    private readonly ConcurrentDictionary<CertificateKind, int> _pending = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Publishes into <paramref name="directory"/> (created when missing) and listens for revocations.</summary>
    public CrlPublisher(CertificateAuthority authority, IAuditLog audit, string directory)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _authority = authority;
        _audit = audit;
        _directory = directory;
        Directory.CreateDirectory(directory);
        RemoveAbandonedTemporaries();
        _authority.Revoked += OnRevoked;
    }

    /// <summary>Raised after a CRL was rebuilt (with the CA kind).</summary>
    public event EventHandler<CertificateKind>? Published;

    /// <summary>
    /// The current CRL of <paramref name="kind"/>, building it first when there is none or it is stale. When the rebuild
    /// fails for a dependency (registry, disk, CA key) and the current CRL is still before its nextUpdate, that one is
    /// returned; otherwise the failure propagates.
    /// </summary>
    public async Task<PublishedCrl> GetCurrentAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        var now = _authority.Clock.GetUtcNow();
        if (_current.TryGetValue(kind, out var current) && now < current.Document.ThisUpdate + ((current.Document.NextUpdate - current.Document.ThisUpdate) / 2))
        {
            return current;
        }

        try
        {
            return await PublishAsync(kind, "system", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (current is not null && now < current.Document.NextUpdate
            && ex is DbException or IOException or TimeoutException or Pkcs11KeyException)
        {
            // The rebuild needs the registry, the disk and the CA key; one of them is down. The current CRL is valid
            // until its nextUpdate: serve it (docs/faults.md), the next download tries the rebuild again.
            return current;
        }
    }

    /// <summary>Builds and publishes a new CRL of <paramref name="kind"/> now.</summary>
    public async Task<PublishedCrl> PublishAsync(CertificateKind kind, string actor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slug = IssuingCa.SlugOf(kind);
            var temporary = Path.Combine(_directory, $"{slug}.crl.{Guid.NewGuid():N}.tmp");
            CrlDocument document;
            var path = Path.Combine(_directory, slug + ".crl");
            try
            {
                await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    document = await BuildAsync(_authority, _audit, kind, file, actor, cancellationToken).ConfigureAwait(false);

                    // On disk before the rename: a crash or a full disk never leaves a half-written current CRL.
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }

                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                // Disk full, registry or CA key unavailable: the current file stays as it was; no temp file is left behind.
                TryDelete(temporary);
                throw;
            }

            var published = new PublishedCrl(path, document);
            _current[kind] = published;
            Published?.Invoke(this, kind);
            return published;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Builds a CRL of <paramref name="kind"/> into <paramref name="output"/> streaming from the registry: allocates the next
    /// CRL number, thisUpdate = now, nextUpdate = now + <see cref="AuthorityOptions.CrlValidity"/>; records <c>crl.publish</c>.
    /// </summary>
    public static async Task<CrlDocument> BuildAsync(CertificateAuthority authority, IAuditLog audit, CertificateKind kind, Stream output, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(audit);
        var now = authority.Clock.GetUtcNow();
        var number = await authority.Registry.NextCrlNumberAsync(kind, cancellationToken).ConfigureAwait(false);
        var ca = authority.CaOf(kind);
        var document = await StreamingCrlWriter.WriteAsync(ca, authority.Registry.StreamRevokedAsync(kind, now, cancellationToken), number, now, now + authority.Options.CrlValidity, output, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(
            new AuditEntry(now, actor, "crl.publish", ca.Slug + "#" + number.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{{\"entries\":{document.EntryCount},\"bytes\":{document.Length}}}")),
            cancellationToken).ConfigureAwait(false);
        return document;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _authority.Revoked -= OnRevoked;
        _stopping.Cancel();
        _stopping.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// Deletes temporary CRL files left by a process killed while building one (the current CRL itself is only ever
    /// replaced by an atomic rename, so it is never half-written). Only files untouched for
    /// <see cref="AbandonedAfter"/> go: a command-line run next to a server must not delete the server's build in progress.
    /// </summary>
    private void RemoveAbandonedTemporaries()
    {
        var cutoff = _authority.Clock.GetUtcNow() - AbandonedAfter;
        foreach (var file in Directory.EnumerateFiles(_directory, "*.crl.*.tmp"))
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

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort; a stray .tmp is never served.
        }
    }

    private void OnRevoked(object? sender, RevokedEventArgs e)
    {
        if (_pending.TryAdd(e.Kind, 0))
        {
            _ = RebuildLaterAsync(e.Kind);
        }
    }

    private async Task RebuildLaterAsync(CertificateKind kind)
    {
        try
        {
            var token = _stopping.Token;
            await Task.Delay(_authority.Options.CrlRebuildDelay, _authority.Clock, token).ConfigureAwait(false);
            _pending.TryRemove(kind, out _);
            await PublishAsync(kind, "system", token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down; the next start builds a fresh CRL.
        }
#pragma warning disable CA1031 // a background rebuild must not fault unobserved: disk full, registry or CA key down
        catch (Exception)
#pragma warning restore CA1031
        {
            // The next request rebuilds it (the cached CRL stays valid until half its validity).
            _pending.TryRemove(kind, out _);
        }
    }
}
