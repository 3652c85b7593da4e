using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using Jpki.Authority.Registry;

namespace Jpki.Authority.Crl;

/// <summary>
/// The check run before every publication (docs/authority.md, "Coverage check"): the CRLs about to be published are
/// read back from their files and compared with a scan of the registry — every revoked, not yet expired certificate of
/// the revocation range must be listed, with its date and reason, in the full CRL (when published) and in exactly one
/// partition CRL, the one written into its certificate; no CRL may list anything else. Sets are compared as multisets
/// (entry count and a 128-bit sum of per-entry digests per partition), so memory does not grow with the number of
/// entries. A mismatch refuses the publication: the previous CRLs stay published, and the operator is told which
/// partition is wrong. This is the check whose absence let revoked certificates fall out of a CA's partitioned CRLs
/// unnoticed.
/// </summary>
/// <remarks>
/// The registry side is an <see cref="Expectation"/> fed with the unfiltered revocation range, by the scan that writes
/// the full CRL when one is published, else by the one scan in partition order that writes the partition CRLs in turn.
/// Either way every row the scan returns reaches the check with the partition stored for its certificate, so a row routed
/// to the wrong partition CRL, lost between two partitions, or in a partition that no CRL covers is refused; with a full
/// CRL the partition CRLs are also checked against a second, independent scan (without one, a row the partition-order
/// query itself never returns is not seen). The per-entry digest is XXH128 over the entry's canonical bytes (serial octets without leading
/// zeros, revocation time in whole seconds, reason): the check guards against bugs in our own build (a lost, doubled or
/// misfiled entry), not against someone who can already write the registry, so a fast non-cryptographic hash with 128
/// bits is as good as SHA-256 here and keeps the check from costing more than the build.
/// </remarks>
internal static class CrlCoverageCheck
{
    /// <summary>The registry's side of the comparison, fed one entry at a time.</summary>
    public sealed class Expectation(bool fullPublished, IReadOnlyCollection<int> partitionsPublished)
    {
        private readonly HashSet<int> _published = [.. partitionsPublished];
        private readonly Dictionary<int, Accumulator> _partitions = [];
        private readonly List<string> _problems = [];

        internal Accumulator Full { get; } = new();

        internal IReadOnlyList<string> Problems => _problems;

        /// <summary>The revoked certificates of the range seen so far.</summary>
        public long Entries => Full.Count;

        /// <summary>Takes one revoked certificate of the registry's unfiltered range.</summary>
        public void Add(in RevokedEntry entry)
        {
            var digest = RegistryDigest(entry);
            Full.Add(digest);
            if (entry.Partition == 0)
            {
                if (!fullPublished)
                {
                    Problem(_problems, $"serial {entry.SerialHex} has no partition (its certificate points at the full CRL) but no full CRL is published");
                }

                return;
            }

            if (!_published.Contains(entry.Partition))
            {
                Problem(_problems, string.Create(CultureInfo.InvariantCulture, $"serial {entry.SerialHex} is in partition {entry.Partition}, which is not published"));
                return;
            }

            if (!_partitions.TryGetValue(entry.Partition, out var accumulator))
            {
                _partitions[entry.Partition] = accumulator = new Accumulator();
            }

            accumulator.Add(digest);
        }

        internal Accumulator Of(int partition) => _partitions.TryGetValue(partition, out var accumulator) ? accumulator : new Accumulator();
    }

    /// <summary>Compares the files with an <paramref name="expectation"/> already gathered from the registry.</summary>
    public static CrlCoverageReport Compare(Expectation expectation, string? full, IReadOnlyDictionary<int, string> partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        ArgumentNullException.ThrowIfNull(partitions);
        var problems = new List<string>(expectation.Problems);
        if (full is not null)
        {
            var listed = Read(full, cancellationToken);
            if (!listed.SameAs(expectation.Full))
            {
                Problem(problems, string.Create(CultureInfo.InvariantCulture, $"the full CRL lists {listed.Count} entries where the registry has {expectation.Full.Count} (or different ones)"));
            }
        }

        foreach (var (partition, path) in partitions)
        {
            var listed = Read(path, cancellationToken);
            var want = expectation.Of(partition);
            if (!listed.SameAs(want))
            {
                Problem(problems, string.Create(CultureInfo.InvariantCulture, $"partition {partition} lists {listed.Count} entries where the registry has {want.Count} (or different ones)"));
            }
        }

        return new CrlCoverageReport(expectation.Entries, problems);
    }

    private static void Problem(List<string> problems, string problem)
    {
        // A broken build can produce a problem per entry: keep the report readable.
        if (problems.Count < 20)
        {
            problems.Add(problem);
        }
    }

    private static Accumulator Read(string path, CancellationToken cancellationToken)
    {
        var accumulator = new Accumulator();
        using var reader = CrlEntryReader.Open(path);
        while (reader.TryRead(out var serial, out var revokedAt, out var reason))
        {
            if ((accumulator.Count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            accumulator.Add(Digest(serial, revokedAt.ToUnixTimeSeconds(), reason));
        }

        return accumulator;
    }

    /// <summary>The digest of a registry entry: its hex serial as the CRL carries it (whole octets, no leading zero octet).</summary>
    private static UInt128 RegistryDigest(in RevokedEntry entry)
    {
        var hex = entry.SerialHex.AsSpan();
        Span<char> padded = stackalloc char[66];
        Span<byte> serial = stackalloc byte[33];
        if (hex.Length is 0 or > 66)
        {
            // Not a serial we could have written; a digest no CRL entry can have makes the check fail loudly.
            return UInt128.MaxValue;
        }

        var odd = hex.Length % 2;
        padded[0] = '0';
        hex.CopyTo(padded[odd..]);
        if (Convert.FromHexString(padded[..(hex.Length + odd)], serial, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return UInt128.MaxValue;
        }

        // Whole seconds, as the CRL encodes them.
        return Digest(serial[..written], entry.RevokedAt.ToUnixTimeSeconds(), entry.Reason);
    }

    private static UInt128 Digest(ReadOnlySpan<byte> serial, long seconds, RevocationReason reason)
    {
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        if (serial.Length > 33)
        {
            // Longer than any serial we write (a garbled file): a digest no registry entry has.
            return UInt128.MaxValue - 1;
        }

        Span<byte> canonical = stackalloc byte[1 + 33 + 8 + 1];
        canonical[0] = (byte)serial.Length;
        serial.CopyTo(canonical[1..]);
        var at = 1 + serial.Length;
        BinaryPrimitives.WriteInt64BigEndian(canonical[at..], seconds);
        canonical[at + 8] = (byte)reason;
        return XxHash128.HashToUInt128(canonical[..(at + 9)]);
    }

    internal sealed class Accumulator
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
