namespace Jpki.Authority.Registry;

/// <summary>Builds the renewal chain of JPKI-REFERENCE §8.3 from two lookups; shared by both stores.</summary>
internal static class RenewalChain
{
    /// <summary>A chain longer than this is treated as corrupt data (a cycle); real chains are a few links.</summary>
    private const int MaxLinks = 1000;

    public static async Task<IReadOnlyList<CertificateRecord>> BuildAsync(
        string serialHex,
        Func<string, CancellationToken, Task<CertificateRecord?>> findBySerial,
        Func<string, CancellationToken, Task<IReadOnlyList<CertificateRecord>>> findSuccessors,
        CancellationToken cancellationToken)
    {
        var start = await findBySerial(serialHex, cancellationToken).ConfigureAwait(false);
        if (start is null)
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { start.SerialHex };
        var backwards = new List<CertificateRecord> { start };
        var current = start;
        while (current.PreviousSerialHex is { } previous && backwards.Count < MaxLinks)
        {
            var before = await findBySerial(previous, cancellationToken).ConfigureAwait(false);
            if (before is null || !seen.Add(before.SerialHex))
            {
                break;
            }

            backwards.Add(before);
            current = before;
        }

        backwards.Reverse();
        current = start;
        while (backwards.Count < MaxLinks)
        {
            var successors = await findSuccessors(current.SerialHex, cancellationToken).ConfigureAwait(false);
            var next = successors.Count > 0 ? successors[0] : null;
            if (next is null || !seen.Add(next.SerialHex))
            {
                break;
            }

            backwards.Add(next);
            current = next;
        }

        return backwards;
    }
}
