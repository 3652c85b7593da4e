using Jpki.Core.Storage;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Crl;

/// <summary>
/// Builds one generation of CRLs of a CA into files, from one consistent point of the registry's revocation sequence,
/// and runs the coverage check on the files before anything is published:
/// <list type="bullet">
/// <item>a <b>base</b> generation — the full CRL (every revoked, unexpired certificate; no issuingDistributionPoint)
/// and one complete CRL per partition (issuingDistributionPoint = the partition's URL), each with a freshestCRL
/// pointing at its delta when deltas are on;</item>
/// <item>a <b>delta</b> generation for the current base — per scope of the base, the revocations after the base's
/// sequence position (deltaCRLIndicator = the base's number, the same issuingDistributionPoint).</item>
/// </list>
/// Every document of a generation carries the same cRLNumber, allocated from the registry's counter, so numbers never
/// repeat or go back across processes and restarts (RFC 5280 §5.2.3: monotonic per scope; complete and delta CRLs
/// share the sequence).
/// </summary>
internal static class CrlGenerationBuilder
{
    /// <summary>A built generation: its files, already checked, and what it covers.</summary>
    /// <param name="Number">The cRLNumber of every document.</param>
    /// <param name="Sequence">The registry's revocation sequence position the generation covers.</param>
    /// <param name="Delta">A delta generation.</param>
    /// <param name="BaseNumber">The base a delta refers to.</param>
    /// <param name="Documents">The checked files.</param>
    /// <param name="Entries">Revoked certificates covered (the full list).</param>
    /// <param name="Duration">The whole build, from the number to the end of the check.</param>
    /// <param name="CheckDuration">Of that, the coverage check after the files were written (reading them back, and the
    /// registry scan when no full CRL was written to feed it).</param>
    public sealed record Generation(long Number, long Sequence, bool Delta, long? BaseNumber, IReadOnlyList<CrlDocumentFile> Documents, long Entries, TimeSpan Duration, TimeSpan CheckDuration);

    /// <summary>Builds and checks a base generation of <paramref name="kind"/> in <paramref name="directory"/>.</summary>
    /// <exception cref="CrlCoverageException">The files do not cover the registry; they are deleted.</exception>
    public static Task<Generation> BuildBaseAsync(CertificateAuthority authority, CertificateKind kind, string directory, CancellationToken cancellationToken)
        => BuildAsync(authority, kind, null, directory, cancellationToken);

    /// <summary>Builds and checks the delta generation of <paramref name="kind"/> for the published <paramref name="baseState"/>.</summary>
    public static Task<Generation> BuildDeltaAsync(CertificateAuthority authority, CertificateKind kind, CrlPublicationState baseState, string directory, CancellationToken cancellationToken)
        => BuildAsync(authority, kind, baseState, directory, cancellationToken);

    /// <summary>The partitions a base generation of <paramref name="ca"/> publishes at <paramref name="thisUpdate"/>.</summary>
    public static IReadOnlyList<int> PartitionsAt(IssuingCa ca, AuthorityOptions options, DateTimeOffset thisUpdate)
        => CrlPartitions.Between(thisUpdate - options.CrlValidity, new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime()), options.CrlPartitionMonths);

    private static async Task<Generation> BuildAsync(CertificateAuthority authority, CertificateKind kind, CrlPublicationState? baseState, string directory, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var options = authority.Options;
        var ca = authority.CaOf(kind);
        var registry = authority.Registry;
        var delta = baseState is not null;

        // The number first, then the sequence position: a revocation committed between the two is simply in the next
        // generation. Every revocation up to the position is committed and visible (positions follow commit order).
        var number = await registry.NextCrlNumberAsync(kind, cancellationToken).ConfigureAwait(false);
        var sequence = await registry.GetRevocationCursorAsync(cancellationToken).ConfigureAwait(false);
        var thisUpdate = Whole(authority.Clock.GetUtcNow());
        var nextUpdate = thisUpdate + (delta ? options.DeltaCrlValidity : options.CrlValidity);

        // An entry stays until it has appeared on one CRL issued after its certificate expired (RFC 5280 §3.3).
        var cutoff = thisUpdate - options.CrlValidity;
        var range = new RevokedQuery(kind, cutoff) { SequenceAfter = baseState?.BaseSequence, SequenceUpTo = sequence };
        var baseUrl = options.PublicBaseUrl.TrimEnd('/');
        var scopes = new List<CrlScope>();
        if (delta)
        {
            foreach (var document in baseState!.Documents.Where(d => !d.Delta))
            {
                scopes.Add(new CrlScope(document.Partition, document.Partition == 0 ? null : baseUrl + CrlPartitions.PathOf(ca.Slug, document.Partition, delta: false), baseState.BaseNumber, null));
            }
        }
        else
        {
            var partitions = PartitionsAt(ca, options, thisUpdate);
            if (options.PublishFullCrl || partitions.Count == 0)
            {
                scopes.Add(CrlScope.Full with { FreshestCrl = options.DeltaCrls ? baseUrl + CrlPartitions.PathOf(ca.Slug, 0, delta: true) : null });
            }

            foreach (var partition in partitions)
            {
                scopes.Add(new CrlScope(
                    partition,
                    baseUrl + CrlPartitions.PathOf(ca.Slug, partition, delta: false),
                    null,
                    options.DeltaCrls ? baseUrl + CrlPartitions.PathOf(ca.Slug, partition, delta: true) : null));
            }
        }

        PrivateFiles.CreateFolder(directory);
        var files = new List<CrlDocumentFile>();
        try
        {
            // The registry side of the coverage check: fed by the scan that writes the full CRL when there is one (the
            // same unfiltered query), else by a scan of its own after the partitions were written from theirs.
            var full = scopes.Any(s => s.Partition == 0);
            var expectation = new CrlCoverageCheck.Expectation(full, [.. scopes.Where(s => s.Partition != 0).Select(s => s.Partition)]);
            foreach (var scope in scopes)
            {
                var path = Path.Combine(directory, $"{ca.Slug}-{number}-{scope.Partition}{(delta ? "-delta" : string.Empty)}.{Guid.NewGuid():N}.tmp");
                CrlDocument document;
                var file = new FileStream(path, PrivateFiles.CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, 1 << 16));
                await using (file.ConfigureAwait(false))
                {
                    var stream = registry.StreamRevokedAsync(range with { Partition = scope.Partition == 0 ? null : scope.Partition }, cancellationToken);
                    if (scope.Partition == 0)
                    {
                        stream = Expect(stream, expectation);
                    }

                    document = await StreamingCrlWriter.WriteAsync(ca, stream, number, thisUpdate, nextUpdate, scope, file, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }

                files.Add(new CrlDocumentFile(
                    new CrlDocumentInfo(kind, number, scope.Partition, delta, scope.DeltaBase, thisUpdate, nextUpdate, document.EntryCount, document.Length, Hash(path)),
                    path));
            }

            var checking = System.Diagnostics.Stopwatch.GetTimestamp();
            var fullPath = files.FirstOrDefault(f => f.Info.Partition == 0)?.Path;
            var partitioned = files.Where(f => f.Info.Partition != 0).ToDictionary(f => f.Info.Partition, f => f.Path);
            var report = full
                ? CrlCoverageCheck.Compare(expectation, fullPath, partitioned, cancellationToken)
                : await CrlCoverageCheck.RunAsync(registry, range, fullPath, partitioned, cancellationToken).ConfigureAwait(false);
            if (!report.Covered)
            {
                throw new CrlCoverageException(report);
            }

            return new Generation(number, sequence, delta, baseState?.BaseNumber, files, report.Entries, System.Diagnostics.Stopwatch.GetElapsedTime(started), System.Diagnostics.Stopwatch.GetElapsedTime(checking));
        }
        catch
        {
            foreach (var file in files)
            {
                TryDelete(file.Path);
            }

            foreach (var leftover in Directory.EnumerateFiles(directory, $"{ca.Slug}-{number}-*.tmp"))
            {
                TryDelete(leftover);
            }

            throw;
        }
    }

    private static byte[] Hash(string path)
    {
        // Synchronous reads of a file just written (in the page cache): the async file path on Linux costs a thread-pool
        // hop per read and doubled the hashing time of a 47 MB CRL.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return SHA256.HashData(file);
    }

    private static async IAsyncEnumerable<RevokedEntry> Expect(IAsyncEnumerable<RevokedEntry> entries, CrlCoverageCheck.Expectation expectation)
    {
        await foreach (var entry in entries.ConfigureAwait(false))
        {
            expectation.Add(entry);
            yield return entry;
        }
    }

    private static DateTimeOffset Whole(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort; a stray .tmp is never served and is removed at the next start.
        }
    }
}
