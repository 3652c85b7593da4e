using System.Globalization;
using System.Security.Cryptography;

namespace Jpki.Authority.Audit;

/// <summary>
/// Walks an audit chain in sequence order and reports the first break. Shared by both stores: they only supply the
/// rows. Memory stays flat: one row at a time, plus a second pass over the rows when an entry's hash does not match,
/// to tell a changed entry from one that was moved.
/// </summary>
internal static class AuditChainVerifier
{
    /// <summary>Verifies the rows that <paramref name="readRows"/> streams (ordered by sequence number).</summary>
    public static async Task<AuditVerification> VerifyAsync(
        Func<CancellationToken, IAsyncEnumerable<AuditRow>> readRows,
        AuditHead? expectedHead,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readRows);
        long expected = 1;
        long checkedCount = 0;
        byte[] previous = AuditHash.Genesis();
        byte[]? hashAtAnchor = null;

        await foreach (var row in readRows(cancellationToken).ConfigureAwait(false))
        {
            checkedCount++;
            if (row.Sequence != expected)
            {
                return row.Sequence > expected
                    ? Broken(checkedCount, expected, AuditProblem.Removed, row.Sequence - 1 == expected
                        ? Invariant($"entry {expected} is missing (the next entry is {row.Sequence})")
                        : Invariant($"entries {expected}–{row.Sequence - 1} are missing"))
                    : Broken(checkedCount, row.Sequence, AuditProblem.Reordered, Invariant($"entry {row.Sequence} appears after entry {expected - 1}"));
            }

            var computed = AuditHash.Compute(row, row.Sequence, row.PreviousHash);
            if (!CryptographicOperations.FixedTimeEquals(computed, row.Hash))
            {
                var home = await FindHomeAsync(readRows, row, cancellationToken).ConfigureAwait(false);
                return home is { } seq
                    ? Broken(checkedCount, row.Sequence, AuditProblem.Reordered, Invariant($"entry {row.Sequence} holds the content of entry {seq}"))
                    : Broken(checkedCount, row.Sequence, AuditProblem.Changed, Invariant($"entry {row.Sequence} was changed: its content does not match its hash"));
            }

            if (!CryptographicOperations.FixedTimeEquals(row.PreviousHash, previous))
            {
                return Broken(checkedCount, row.Sequence, AuditProblem.BrokenLink, row.Sequence == 1
                    ? "entry 1 does not start the chain"
                    : Invariant($"entry {row.Sequence} does not link to entry {row.Sequence - 1}: that entry was rewritten or entries were replaced"));
            }

            if (expectedHead is not null && row.Sequence == expectedHead.Sequence)
            {
                hashAtAnchor = row.Hash;
            }

            previous = row.Hash;
            expected++;
        }

        var last = expected - 1;
        if (expectedHead is not null)
        {
            if (hashAtAnchor is null)
            {
                return Broken(checkedCount, last + 1, AuditProblem.Truncated,
                    Invariant($"the chain ends at entry {last} but the recorded head is entry {expectedHead.Sequence}: entries were cut off"));
            }

            if (!CryptographicOperations.FixedTimeEquals(hashAtAnchor, expectedHead.Hash.Span))
            {
                return Broken(checkedCount, expectedHead.Sequence, AuditProblem.Truncated,
                    Invariant($"entry {expectedHead.Sequence} differs from the recorded head: the chain was cut off and rewritten"));
            }
        }

        return new AuditVerification(true, checkedCount, null, null)
        {
            Head = last == 0 ? null : new AuditHead(last, previous),
        };
    }

    /// <summary>
    /// Looks for the sequence number where <paramref name="misplaced"/>'s content belongs: either it verifies with
    /// another entry's position and predecessor (content swapped), or with its own stored predecessor at another
    /// position (whole entries swapped).
    /// </summary>
    private static async Task<long?> FindHomeAsync(
        Func<CancellationToken, IAsyncEnumerable<AuditRow>> readRows, AuditRow misplaced, CancellationToken cancellationToken)
    {
        await foreach (var other in readRows(cancellationToken).ConfigureAwait(false))
        {
            if (other.Sequence == misplaced.Sequence)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(AuditHash.Compute(misplaced, other.Sequence, other.PreviousHash), other.Hash)
                || CryptographicOperations.FixedTimeEquals(AuditHash.Compute(misplaced, other.Sequence, misplaced.PreviousHash), misplaced.Hash))
            {
                return other.Sequence;
            }
        }

        return null;
    }

    private static AuditVerification Broken(long checkedCount, long sequence, AuditProblem kind, string problem) =>
        new(false, checkedCount, sequence, problem) { Kind = kind };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
