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
    /// <param name="CheckDuration">Of that, the coverage check after the files were written (reading them back).</param>
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
            // Two kinds of scan, each unfiltered by partition and each reading its index once:
            // - the full CRL (when published) from the scan in serial order;
            // - every partition CRL in turn from one scan in partition order, split where the partition changes.
            // The registry side of the coverage check is fed by the full CRL's scan when there is one (independent of the
            // partition scan), else by the partition scan itself: every row of the range reaches the check, including rows
            // whose partition no CRL of the generation covers, so a misfiled, dropped or unpublished entry is refused.
            var full = scopes.FirstOrDefault(s => s.Partition == 0);
            var partitionScopes = scopes.Where(s => s.Partition != 0).OrderBy(s => s.Partition).ToList();
            var expectation = new CrlCoverageCheck.Expectation(full is not null, [.. partitionScopes.Select(s => s.Partition)]);
            async Task WriteAsync(CrlScope scope, IAsyncEnumerable<RevokedEntry> entries)
            {
                var path = Path.Combine(directory, $"{ca.Slug}-{number}-{scope.Partition}{(delta ? "-delta" : string.Empty)}.{Guid.NewGuid():N}.tmp");
                CrlDocument document;
                var file = new FileStream(path, PrivateFiles.CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, 1 << 16));
                await using (file.ConfigureAwait(false))
                {
                    document = await StreamingCrlWriter.WriteAsync(ca, entries, number, thisUpdate, nextUpdate, scope, file, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }

                files.Add(new CrlDocumentFile(
                    new CrlDocumentInfo(kind, number, scope.Partition, delta, scope.DeltaBase, thisUpdate, nextUpdate, document.EntryCount, document.Length, Hash(path)),
                    path));
            }

            if (full is not null)
            {
                await WriteAsync(full, Expect(registry.StreamRevokedAsync(range, cancellationToken), expectation)).ConfigureAwait(false);
            }

            if (partitionScopes.Count > 0)
            {
                var scan = registry.StreamRevokedAsync(range with { OrderByPartition = true }, cancellationToken);
                var runs = new PartitionRuns((full is null ? Expect(scan, expectation) : scan).GetAsyncEnumerator(cancellationToken));
                await using (runs.ConfigureAwait(false))
                {
                    foreach (var scope in partitionScopes)
                    {
                        await WriteAsync(scope, runs.Of(scope.Partition)).ConfigureAwait(false);
                    }

                    // The rows after the last published partition still reach the check.
                    await runs.DrainAsync().ConfigureAwait(false);
                }
            }

            var checking = System.Diagnostics.Stopwatch.GetTimestamp();
            var fullPath = files.FirstOrDefault(f => f.Info.Partition == 0)?.Path;
            var partitioned = files.Where(f => f.Info.Partition != 0).ToDictionary(f => f.Info.Partition, f => f.Path);
            var report = CrlCoverageCheck.Compare(expectation, fullPath, partitioned, cancellationToken);
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

    /// <summary>
    /// Splits one scan in partition order into consecutive runs, one per partition asked for in ascending order; rows of
    /// partitions that are not asked for are passed over (they still went through the check's expectation).
    /// </summary>
    private sealed class PartitionRuns(IAsyncEnumerator<RevokedEntry> scan) : IAsyncDisposable
    {
        private bool _pending;
        private bool _ended;
        private int _last = int.MinValue;

        /// <summary>The rows of <paramref name="partition"/>; asked for once per partition, in ascending order.</summary>
        public async IAsyncEnumerable<RevokedEntry> Of(int partition)
        {
            if (partition <= _last)
            {
                throw new InvalidOperationException("Partitions are read in ascending order, each once.");
            }

            _last = partition;
            while (await NextAsync().ConfigureAwait(false))
            {
                var entry = scan.Current;
                if (entry.Partition > partition)
                {
                    // The first row of a later partition: kept for its own run.
                    yield break;
                }

                _pending = false;
                if (entry.Partition == partition)
                {
                    yield return entry;
                }

                // Else a row of an earlier partition that no CRL of the generation covers — or, from a scan that is not in
                // partition order, a row this build loses: either way the coverage check refuses the generation.
            }
        }

        /// <summary>Reads the rest of the scan.</summary>
        public async Task DrainAsync()
        {
            while (await NextAsync().ConfigureAwait(false))
            {
                _pending = false;
            }
        }

        public ValueTask DisposeAsync() => scan.DisposeAsync();

        private async ValueTask<bool> NextAsync()
        {
            if (_pending)
            {
                return true;
            }

            if (_ended || !await scan.MoveNextAsync().ConfigureAwait(false))
            {
                _ended = true;
                return false;
            }

            _pending = true;
            return true;
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
