using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jpki.Authority.Registry;

namespace Jpki.Authority.Crl;

/// <summary>
/// The check run before every publication (docs/authority.md, "Coverage check"): the CRLs about to be published are
/// read back from their files and compared with an independent scan of the registry — every revoked, not yet expired
/// certificate of the revocation range must be listed, with its date and reason, in the full CRL (when published) and
/// in exactly one partition CRL, the one written into its certificate; no CRL may list anything else. Sets are compared
/// as multisets (entry count and a 128-bit sum of SHA-256 digests per partition), so memory does not grow with the
/// number of entries. A mismatch refuses the publication: the previous CRLs stay published, and the operator is told
/// which partition is wrong. This is the check whose absence let revoked certificates fall out of a CA's partitioned
/// CRLs unnoticed.
/// </summary>
internal static class CrlCoverageCheck
{
    /// <summary>Compares the CRL files of one generation with the registry; returns the problems found (empty: covered).</summary>
    /// <param name="registry">The registry, scanned without a partition filter.</param>
    /// <param name="query">The CA, expiry cut-off and revocation range the generation was built from (its partition is ignored).</param>
    /// <param name="full">The full CRL (or full delta) file, or null when none is published.</param>
    /// <param name="partitions">The partition CRL files by partition id.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    public static async Task<CrlCoverageReport> RunAsync(
        ICertificateRegistry registry,
        RevokedQuery query,
        string? full,
        IReadOnlyDictionary<int, string> partitions,
        CancellationToken cancellationToken)
    {
        var expected = new Dictionary<int, Accumulator>();
        var fullExpected = new Accumulator();
        var problems = new List<string>();
        long total = 0;
        await foreach (var entry in registry.StreamRevokedAsync(query with { Partition = null }, cancellationToken).ConfigureAwait(false))
        {
            total++;
            var digest = Digest(Normalize(entry.SerialHex), entry.RevokedAt, entry.Reason);
            fullExpected.Add(digest);
            if (entry.Partition == 0)
            {
                if (full is null)
                {
                    Problem(problems, $"serial {entry.SerialHex} has no partition (its certificate points at the full CRL) but no full CRL is published");
                }

                continue;
            }

            if (!partitions.ContainsKey(entry.Partition))
            {
                Problem(problems, string.Create(CultureInfo.InvariantCulture, $"serial {entry.SerialHex} is in partition {entry.Partition}, which is not published"));
                continue;
            }

            if (!expected.TryGetValue(entry.Partition, out var accumulator))
            {
                expected[entry.Partition] = accumulator = new Accumulator();
            }

            accumulator.Add(digest);
        }

        if (full is not null)
        {
            var listed = Read(full);
            if (!listed.SameAs(fullExpected))
            {
                Problem(problems, string.Create(CultureInfo.InvariantCulture, $"the full CRL lists {listed.Count} entries where the registry has {fullExpected.Count} (or different ones)"));
            }
        }

        foreach (var (partition, path) in partitions)
        {
            var listed = Read(path);
            var want = expected.TryGetValue(partition, out var accumulator) ? accumulator : new Accumulator();
            if (!listed.SameAs(want))
            {
                Problem(problems, string.Create(CultureInfo.InvariantCulture, $"partition {partition} lists {listed.Count} entries where the registry has {want.Count} (or different ones)"));
            }
        }

        return new CrlCoverageReport(total, problems);
    }

    private static void Problem(List<string> problems, string problem)
    {
        // A broken build can produce a problem per entry: keep the report readable.
        if (problems.Count < 20)
        {
            problems.Add(problem);
        }
    }

    private static Accumulator Read(string path)
    {
        var accumulator = new Accumulator();
        using var reader = CrlEntryReader.Open(path);
        while (reader.TryRead(out var serial, out var revokedAt, out var reason))
        {
            accumulator.Add(Digest(serial, revokedAt, reason));
        }

        return accumulator;
    }

    /// <summary>The registry's hex serial as the CRL carries it: whole octets, no leading zero octet.</summary>
    private static string Normalize(string serialHex)
    {
        var hex = serialHex.Length % 2 == 1 ? "0" + serialHex : serialHex;
        var bytes = Convert.FromHexString(hex).AsSpan();
        while (bytes.Length > 1 && bytes[0] == 0)
        {
            bytes = bytes[1..];
        }

        return Convert.ToHexString(bytes);
    }

    private static UInt128 Digest(string serialHex, DateTimeOffset revokedAt, RevocationReason reason)
    {
        // Whole seconds, as the CRL encodes them.
        var seconds = revokedAt.ToUnixTimeSeconds();
        var text = string.Create(CultureInfo.InvariantCulture, $"{serialHex}|{seconds}|{(int)reason}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    private sealed class Accumulator
    {
        public long Count { get; private set; }

        public UInt128 Sum { get; private set; }

        public void Add(UInt128 digest)
        {
            Count++;
            Sum = unchecked(Sum + digest);
        }

        public bool SameAs(Accumulator other) => Count == other.Count && Sum == other.Sum;
    }
}
