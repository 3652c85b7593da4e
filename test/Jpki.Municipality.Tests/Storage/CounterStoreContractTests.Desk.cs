using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>The desk's part of the contract: folded, counted and paged search; streaming import; one-time form submissions; the sealed journal.</summary>
public abstract partial class CounterStoreContractTests
{
    private static readonly DateTimeOffset Morning = new(2026, 6, 10, 0, 30, 0, TimeSpan.Zero); // 09:30 JST

    [Theory]
    [InlineData("高橋", "R1")]
    [InlineData("タカハシ", "R1")]
    [InlineData("たかはし", "R1")]
    [InlineData("崎", "R2")]
    [InlineData("SMITH", "R3")]
    [InlineData("smith john", "R3")]
    [InlineData("吉田", "R4")]
    [InlineData("O'BRIEN", "R5")]
    public async Task SearchResidents_VariantsAndWidthsFolded_RegisteredFormReturned(string typed, string expected)
    {
        await Store.AddResidentsAsync(
        [
            Person("R1") with { Name = "髙橋　一郎", NameKana = "タカハシ　イチロウ" },
            Person("R2") with { Name = "山\uFA11　花子", NameKana = "ヤマサキ　ハナコ" },
            Person("R3") with { Name = "ＳＭＩＴＨ　ＪＯＨＮ", NameKana = "スミス　ジョン" },
            Person("R4") with { Name = "\U00020BB7田　太郎", NameKana = "ヨシダ　タロウ" },
            Person("R5") with { Name = "Ｏ’ＢＲＩＥＮ　ＭＡＲＹ", NameKana = "オブライエン　メアリー" },
        ], default);

        var found = Assert.Single(await Store.SearchResidentsAsync(new ResidentQuery(typed), default));

        Assert.Equal(expected, found.Id);
        Assert.Equal((await Store.FindResidentAsync(expected, default))!.Name, found.Name); // the registered form, not the folded one
    }

    [Fact]
    public async Task SearchResidents_ManyMatches_TrueCountAndPages()
    {
        await Store.AddResidentsAsync(Enumerable.Range(0, 120).Select(i => Person($"P{i:D3}") with { NameKana = $"ヤマダ　{i:D3}" }).ToList(), default);
        var query = new ResidentQuery("山田", Limit: 50);

        Assert.Equal(120, await Store.CountResidentsAsync(query, default));
        var pages = new List<string>();
        for (var offset = 0; offset < 150; offset += 50)
        {
            pages.AddRange((await Store.SearchResidentsAsync(query with { Offset = offset }, default)).Select(r => r.Id));
        }

        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"P{i:D3}"), pages);
    }

    [Fact]
    public async Task ResidentImport_ExistingIdsReportedAndNothingKeptWithoutCommit()
    {
        await Store.AddResidentsAsync([Person("R2")], default);
        await using (var import = await Store.BeginResidentImportAsync(default))
        {
            Assert.Equal(["R2"], await import.AddAsync([Person("R1"), Person("R2"), Person("R3")], default));
        }

        Assert.Null(await Store.FindResidentAsync("R1", default));
        await using (var import = await Store.BeginResidentImportAsync(default))
        {
            Assert.Empty(await import.AddAsync(Enumerable.Range(0, 450).Select(i => Person($"N{i}")).ToList(), default));
            await import.CommitAsync(default);
        }

        Assert.Equal(450, await Store.CountResidentsAsync(new ResidentQuery("山田", Limit: 1), default) - 1);
        Assert.Equal("N449", (await Store.FindResidentAsync("N449", default))!.Id);
    }

    [Fact]
    public async Task Submissions_ClaimedOnceCompletedReleasedPurged()
    {
        var submission = new FormSubmission("S1", "clerk1", "issue:R1", Morning);

        Assert.True(await Store.ClaimSubmissionAsync(submission, default));
        Assert.False(await Store.ClaimSubmissionAsync(submission with { StaffId = "other" }, default));
        Assert.Equal(submission, await Store.FindSubmissionAsync("S1", default));

        await Store.CompleteSubmissionAsync("S1", "ok", "/counter/receipts/S1", "{}", Morning.AddSeconds(2), default);
        await Store.ReleaseSubmissionAsync("S1", default); // only pending ones are released
        Assert.Equal(submission with { Done = true, Outcome = "ok", Location = "/counter/receipts/S1", Payload = "{}" }, await Store.FindSubmissionAsync("S1", default));

        Assert.True(await Store.ClaimSubmissionAsync(submission with { Id = "S2" }, default));
        await Store.ReleaseSubmissionAsync("S2", default);
        Assert.Null(await Store.FindSubmissionAsync("S2", default));
        Assert.True(await Store.ClaimSubmissionAsync(submission with { Id = "S2" }, default));

        Assert.Equal(2, await Store.PurgeSubmissionsAsync(Morning.AddTicks(1), default));
        Assert.Null(await Store.FindSubmissionAsync("S1", default));
    }

    [Fact]
    public async Task CloseDay_SealsTheDay_LaterEntriesGoToTheNextDay()
    {
        var day = new DateOnly(2026, 6, 10);
        await Store.AppendJournalAsync(Entry(Morning, "issue", "ok", "Authentication:01:New:2031-02-17 Signature:02:New:2031-02-17", 0), default);
        await Store.AppendJournalAsync(Entry(Morning.AddMinutes(5), "revoke", "ok", "revoked 01", 0), default);

        var close = await Store.CloseDayAsync(day, "super1", Morning.AddHours(7), default);

        Assert.NotNull(close);
        Assert.Equal((2, 2, 2L), (close.CertificatesIssued, close.Entries, close.LastSequence));
        Assert.Null(await Store.CloseDayAsync(day, "other", Morning.AddHours(8), default));
        Assert.Equal(close, await Store.FindDayCloseAsync(day, default));

        // Still 10 June in Japan, but the day is closed: the entry counts for 11 June and the closed day does not change.
        await Store.AppendJournalAsync(Entry(Morning.AddHours(7).AddMinutes(1), "issue", "ok", "Authentication:03:New:2031-02-17", 0), default);
        Assert.Equal(2, (await Store.ListJournalDayAsync(day, default)).Count);
        Assert.Equal(day.AddDays(1), Assert.Single(await Store.ListJournalDayAsync(day.AddDays(1), default)).Day);
        Assert.True((await Store.VerifyJournalAsync(default)).Intact);
    }

    [Fact]
    public async Task VerifyJournal_ChangedOrRemovedEntry_Detected()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.AppendJournalAsync(Entry(Morning.AddMinutes(i), "issue", "ok", "Authentication:0" + i + ":New:2031-02-17", 0), default);
        }

        await Store.CloseDayAsync(new DateOnly(2026, 6, 10), "super1", Morning.AddHours(7), default);
        Assert.Equal(new JournalVerification(true, 3, null, null), await Store.VerifyJournalAsync(default));

        await ExecuteRawAsync("UPDATE journal SET details = 'Authentication:09:New:2031-02-17' WHERE seq = 2");
        var changed = await Store.VerifyJournalAsync(default);
        Assert.Equal((false, (long?)2), (changed.Intact, changed.FirstBadSequence));
        Assert.Contains("書き換え", changed.Problem, StringComparison.Ordinal);

        await ExecuteRawAsync("UPDATE journal SET details = 'Authentication:01:New:2031-02-17' WHERE seq = 2");
        Assert.True((await Store.VerifyJournalAsync(default)).Intact);
        await ExecuteRawAsync("DELETE FROM journal WHERE seq = 3");
        var cut = await Store.VerifyJournalAsync(default);
        Assert.False(cut.Intact);
        Assert.Contains("封印", cut.Problem, StringComparison.Ordinal);
    }

    private static JournalEntry Entry(DateTimeOffset at, string action, string outcome, string details, int fee) =>
        new(at, "clerk1", action, "R1", null, outcome, details, fee);
}
