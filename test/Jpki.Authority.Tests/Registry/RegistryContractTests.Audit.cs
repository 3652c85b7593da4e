using Jpki.Authority.Audit;

namespace Jpki.Authority.Tests.Registry;

/// <summary>The audit log part of the contract: appends, verification and tampering.</summary>
public abstract partial class RegistryContractTests
{
    [Fact]
    public async Task AppendAsync_NumbersFromOneWithoutGaps_AndVerifiesIntact()
    {
        var sequences = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            sequences.Add(await Store.AppendAsync(Entry(i), Ct));
        }

        var verdict = await Store.VerifyAsync(Ct);

        Assert.Equal([1L, 2, 3, 4, 5], sequences);
        Assert.True(verdict.IsIntact);
        Assert.Equal(5, verdict.EntriesChecked);
        Assert.Null(verdict.FirstBrokenSequence);
        Assert.Equal(await Store.GetHeadAsync(Ct), verdict.Head, HeadComparer.Instance);
    }

    [Fact]
    public async Task VerifyAsync_EmptyLog_IsIntact()
    {
        var verdict = await Store.VerifyAsync(Ct);

        Assert.True(verdict.IsIntact);
        Assert.Equal(0, verdict.EntriesChecked);
        Assert.Null(await Store.GetHeadAsync(Ct));
    }

    [Fact]
    public async Task VerifyAsync_ChangedDetails_ReportsChangedAtThatEntry()
    {
        await AppendAsync(6);

        await ExecuteUnguardedAsync("UPDATE audit_log SET details = 'serial 0F, reason 1' WHERE seq = 4");
        var verdict = await Store.VerifyAsync(Ct);

        AssertBroken(verdict, 4, AuditProblem.Changed);
    }

    [Fact]
    public async Task VerifyAsync_ChangedTime_ReportsChangedAtThatEntry()
    {
        await AppendAsync(3);

        await ExecuteUnguardedAsync(SetAtOneSecondLater(2));
        var verdict = await Store.VerifyAsync(Ct);

        AssertBroken(verdict, 2, AuditProblem.Changed);
    }

    [Fact]
    public async Task VerifyAsync_MiddleEntryRemoved_ReportsRemovedAtTheGap()
    {
        await AppendAsync(6);

        await ExecuteUnguardedAsync("DELETE FROM audit_log WHERE seq = 3");
        var verdict = await Store.VerifyAsync(Ct);

        AssertBroken(verdict, 3, AuditProblem.Removed);
    }

    [Fact]
    public async Task VerifyAsync_FirstEntryRemoved_ReportsRemovedAtOne()
    {
        await AppendAsync(3);

        await ExecuteUnguardedAsync("DELETE FROM audit_log WHERE seq = 1");
        var verdict = await Store.VerifyAsync(Ct);

        AssertBroken(verdict, 1, AuditProblem.Removed);
    }

    [Fact]
    public async Task VerifyAsync_TwoEntriesContentSwapped_ReportsReorderedAtTheFirst()
    {
        await AppendAsync(6);

        await ExecuteUnguardedAsync(SwapContent(2, 5, includeHashes: false));
        var verdict = await Store.VerifyAsync(Ct);

        AssertBroken(verdict, 2, AuditProblem.Reordered);
        Assert.Contains("entry 5", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_TwoWholeEntriesSwapped_ReportsReorderedAtTheFirst()
    {
        await AppendAsync(6);

        await ExecuteUnguardedAsync(SwapContent(3, 4, includeHashes: true));
        var verdict = await Store.VerifyAsync(Ct);

        AssertBroken(verdict, 3, AuditProblem.Reordered);
    }

    [Fact]
    public async Task VerifyAsync_EntryRewrittenWithRecomputedHash_ReportsBrokenLinkAtTheNext()
    {
        await AppendAsync(2);
        var second = await Store.GetHeadAsync(Ct);
        await AppendAsync(3);
        var original = Entry(2);
        var forged = AuditHash.Compute(3, original.At, "intruder", original.Action, original.Subject, original.Details, second!.Hash.Span);

        await ExecuteUnguardedAsync($"UPDATE audit_log SET actor = 'intruder', hash = {HexLiteral(forged)} WHERE seq = 3");
        var verdict = await Store.VerifyAsync(Ct);

        // Entry 3 verifies on its own now, but entry 4 still links to its old hash.
        AssertBroken(verdict, 4, AuditProblem.BrokenLink);
    }

    [Fact]
    public async Task VerifyAsync_TailCutOff_IsOnlyDetectedAgainstARecordedHead()
    {
        await AppendAsync(5);
        var head = await Store.GetHeadAsync(Ct);

        await ExecuteUnguardedAsync("DELETE FROM audit_log WHERE seq >= 4");

        Assert.True((await Store.VerifyAsync(Ct)).IsIntact);
        AssertBroken(await Store.VerifyAsync(head, Ct), 4, AuditProblem.Truncated);
    }

    [Fact]
    public async Task VerifyAsync_TailRewrittenAfterCut_DiffersAtTheRecordedHead()
    {
        await AppendAsync(5);
        var head = await Store.GetHeadAsync(Ct);

        await ExecuteUnguardedAsync("DELETE FROM audit_log WHERE seq >= 4");
        await Store.AppendAsync(new AuditEntry(Clock.GetUtcNow(), "intruder", "cert.issue", "4", ""), Ct);
        await Store.AppendAsync(new AuditEntry(Clock.GetUtcNow(), "intruder", "cert.issue", "5", ""), Ct);

        AssertBroken(await Store.VerifyAsync(head, Ct), 5, AuditProblem.Truncated);
    }

    [Fact]
    public async Task VerifyAsync_RecordedHeadInsideAnIntactLongerChain_IsIntact()
    {
        await AppendAsync(3);
        var head = await Store.GetHeadAsync(Ct);
        await AppendAsync(2);

        Assert.True((await Store.VerifyAsync(head, Ct)).IsIntact);
    }

    [Fact]
    public async Task AppendAsync_Concurrent_ChainStaysLinearAndIntact()
    {
        var sequences = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 50; i++)
            {
                mine.Add(await Store.AppendAsync(new AuditEntry(Clock.GetUtcNow(), $"writer-{w}", "cert.issue", $"{w}-{i}", ""), Ct));
            }

            return mine;
        })));

        Assert.Equal(Enumerable.Range(1, 400).Select(n => (long)n), sequences.SelectMany(s => s).Order());
        var verdict = await Store.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(400, verdict.EntriesChecked);
    }

    private static AuditEntry Entry(int i) =>
        new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(i * 10_000_017L), $"staff-{i % 3}", "cert.issue", $"subject-{i}", $"details-{i} 署名用");

    private static void AssertBroken(AuditVerification verdict, long sequence, AuditProblem kind)
    {
        Assert.False(verdict.IsIntact);
        Assert.Equal(sequence, verdict.FirstBrokenSequence);
        Assert.Equal(kind, verdict.Kind);
        Assert.False(string.IsNullOrEmpty(verdict.Problem));
    }

    private static string SwapContent(long a, long b, bool includeHashes)
    {
        var columns = includeHashes
            ? new[] { "at", "actor", "action", "subject", "details", "prev_hash", "hash" }
            : ["at", "actor", "action", "subject", "details"];
        var sets = string.Join(", ", columns.Select(c => $"{c} = (SELECT s.{c} FROM swap AS s WHERE s.seq = {a + b} - audit_log.seq)"));
        return $"""
            CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE seq IN ({a}, {b});
            UPDATE audit_log SET {sets} WHERE seq IN ({a}, {b});
            DROP TABLE swap;
            """;
    }

    private async Task AppendAsync(int count)
    {
        var start = (await Store.GetHeadAsync(Ct))?.Sequence ?? 0;
        for (var i = 0; i < count; i++)
        {
            await Store.AppendAsync(Entry((int)start + i), Ct);
        }
    }

    /// <summary>SQL that moves entry <paramref name="seq"/>'s time one second later (engines store time differently).</summary>
    protected abstract string SetAtOneSecondLater(long seq);

    /// <summary>A blob literal for the engine.</summary>
    protected abstract string HexLiteral(byte[] bytes);

    private sealed class HeadComparer : IEqualityComparer<AuditHead?>
    {
        public static readonly HeadComparer Instance = new();

        public bool Equals(AuditHead? x, AuditHead? y) =>
            x is null ? y is null : y is not null && x.Sequence == y.Sequence && x.Hash.Span.SequenceEqual(y.Hash.Span);

        public int GetHashCode(AuditHead? obj) => obj?.Sequence.GetHashCode() ?? 0;
    }
}
