using Jpki.Core.Identity;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>The store contract: SQLite and PostgreSQL both pass these tests on a fresh database each.</summary>
public abstract partial class CounterStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 6, 10, 1, 2, 3, TimeSpan.Zero).AddTicks(4567);

    protected ICounterStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await OpenAsync();
        await Store.MigrateAsync(default);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanUpAsync();
    }

    protected abstract Task<ICounterStore> OpenAsync();

    /// <summary>Runs SQL straight on the database, as someone with the file or a database login would (tamper tests).</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    [Fact]
    public async Task MigrateAsync_Twice_IdempotentAtTheLatestVersion()
    {
        await Store.MigrateAsync(default);

        Assert.Equal(8, await Store.SchemaVersionAsync(default));
    }

    [Fact]
    public async Task AddResidents_RoundTripsEveryField()
    {
        var resident = Person("R1") with { Sex = Sex.NotApplicable, UnderGuardianship = true, Status = ResidentStatus.MovedOut, Name = "髙橋　𠮷男" };

        await Store.AddResidentsAsync([resident], default);

        Assert.Equal(resident, await Store.FindResidentAsync("R1", default));
        Assert.Null(await Store.FindResidentAsync("R2", default));
    }

    [Fact]
    public async Task AddResidents_DuplicateInBatch_NothingAdded()
    {
        await Store.AddResidentsAsync([Person("R0")], default);

        await Assert.ThrowsAsync<DuplicateResidentException>(() => Store.AddResidentsAsync([Person("R1"), Person("R2"), Person("R0")], default));

        Assert.Null(await Store.FindResidentAsync("R1", default));
        Assert.Null(await Store.FindResidentAsync("R2", default));
    }

    [Fact]
    public async Task UpdateResident_UnknownReturnsFalse()
    {
        await Store.AddResidentsAsync([Person("R1")], default);

        Assert.True(await Store.UpdateResidentAsync(Person("R1") with { Address = "X" }, default));
        Assert.False(await Store.UpdateResidentAsync(Person("R9"), default));
        Assert.Equal("X", (await Store.FindResidentAsync("R1", default))!.Address);
    }

    [Fact]
    public async Task SaveCard_InsertThenReplace()
    {
        await Store.AddResidentsAsync([Person("R1")], default);
        var card = new ResidentCard("C1", "R1", CardKind.MyNumberCard, new DateOnly(2035, 2, 17));

        await Store.SaveCardAsync(card, default);
        await Store.SaveCardAsync(card with { Status = CardStatus.Lost }, default);

        Assert.Equal(card with { Status = CardStatus.Lost }, await Store.FindCardAsync("C1", default));
    }

    [Fact]
    public async Task RecordChange_EventResidentCardAndTasksTogether_ThenCompleteAndFail()
    {
        await Store.AddResidentsAsync([Person("R1")], default);
        await Store.SaveCardAsync(new ResidentCard("C1", "R1", CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), default);
        var change = new ResidentChangeRecord("E1", ResidentChangeKind.CardLoss, "R1", At, "clerk", "card lost");
        var tasks = new[]
        {
            new RevocationTask("T1", "E1", "R1", CertificateKind.Signature, RevocationReason.KeyCompromise, "C1", At, RevocationTaskStatus.Pending, 0, null, null),
            new RevocationTask("T2", "E1", "R1", CertificateKind.Authentication, RevocationReason.KeyCompromise, null, At, RevocationTaskStatus.Pending, 0, null, null),
        };

        await Store.RecordChangeAsync(change, Person("R1") with { Address = "Y" }, new ResidentCard("C1", "R1", CardKind.MyNumberCard, new DateOnly(2035, 2, 17), CardStatus.Lost), tasks, default);

        Assert.Equal(change, Assert.Single(await Store.ListChangesAsync("R1", default)));
        Assert.Equal("Y", (await Store.FindResidentAsync("R1", default))!.Address);
        Assert.Equal(CardStatus.Lost, (await Store.FindCardAsync("C1", default))!.Status);
        Assert.Equal(tasks, await Store.ListTasksAsync("E1", default));

        await Store.CompleteTaskAsync("T1", "0A,0B", At, default);
        await Store.FailTaskAttemptAsync("T2", "boom", default);

        var pending = Assert.Single(await Store.ListPendingTasksAsync(default));
        Assert.Equal(("T2", 1, "boom"), (pending.Id, pending.Attempts, pending.LastError));
        var done = (await Store.ListTasksAsync("E1", default)).Single(t => t.Id == "T1");
        Assert.Equal((RevocationTaskStatus.Done, "0A,0B"), (done.Status, done.RevokedSerials));
    }

    [Fact]
    public async Task RecordChange_UnknownResident_NothingRecorded()
    {
        var change = new ResidentChangeRecord("E1", ResidentChangeKind.Death, "R9", At, "clerk", "deceased");

        await Assert.ThrowsAnyAsync<Exception>(() => Store.RecordChangeAsync(change, Person("R9"), null, [], default));

        Assert.Empty(await Store.ListChangesAsync("R9", default));
    }

    [Fact]
    public async Task Inquiry_RoundTripAndCloseOnlyOnce()
    {
        await Store.AddResidentsAsync([Person("R1")], default);
        var inquiry = new ProxyInquiry(InquiryReference.Create(), "R1", "山田", "東京", "代理", "運転免許証", At, new DateOnly(2026, 6, 10), new DateOnly(2026, 7, 10), "clerk");

        await Store.AddInquiryAsync(inquiry, default);

        Assert.Equal(inquiry, await Store.FindInquiryAsync(inquiry.Reference, default));
        Assert.True(await Store.CloseInquiryAsync(inquiry.Reference, InquiryStatus.Completed, "ok", At, default));
        Assert.False(await Store.CloseInquiryAsync(inquiry.Reference, InquiryStatus.Refused, "x", At, default));
        Assert.Equal(inquiry with { Status = InquiryStatus.Completed, ClosedCode = "ok", ClosedAt = At }, await Store.FindInquiryAsync(inquiry.Reference, default));
    }

    [Fact]
    public async Task Journal_RangeIsHalfOpenAndInRecordingOrder()
    {
        var entries = Enumerable.Range(0, 4).Select(i => new JournalEntry(At.AddHours(i), "clerk", "issue", i % 2 == 0 ? "R1" : null, null, "ok", "d" + i, i * 100)).ToList();
        foreach (var entry in entries)
        {
            await Store.AppendJournalAsync(entry, default);
        }

        var listed = await Store.ListJournalAsync(At.AddHours(1), At.AddHours(3), default);

        Assert.Equal(entries[1..3], listed.Select(e => e with { Day = null, Sequence = 0 }));
        Assert.Equal([2L, 3L], listed.Select(e => e.Sequence));
        Assert.All(listed, e => Assert.Equal(new DateOnly(2026, 6, 10), e.Day));
    }

    [Fact]
    public async Task SearchResidents_ByNameKanaIdOrBirthDate_FindsTheRightRows()
    {
        await Store.AddResidentsAsync(
        [
            Person("R1"),
            Person("R2") with { Name = "鈴木　花子", NameKana = "スズキ　ハナコ", DateOfBirth = new DateOnly(1990, 5, 1) },
            Person("R3") with { Name = "山田　花子", NameKana = "ヤマダ　ハナコ", DateOfBirth = new DateOnly(1990, 5, 1) },
            Person("R4") with { Name = "100%_山", NameKana = "ヒャク" },
        ], default);

        Assert.Equal(["R1", "R3"], Ids(await Store.SearchResidentsAsync(new ResidentQuery("山田"), default)));
        Assert.Equal(["R1"], Ids(await Store.SearchResidentsAsync(new ResidentQuery("山田 太郎"), default)));
        Assert.Equal(["R2", "R3"], Ids(await Store.SearchResidentsAsync(new ResidentQuery("ハナコ"), default)));
        Assert.Equal(["R2"], Ids(await Store.SearchResidentsAsync(new ResidentQuery("R2"), default)));
        Assert.Equal(["R2", "R3"], Ids(await Store.SearchResidentsAsync(new ResidentQuery(null, new DateOnly(1990, 5, 1)), default)));
        Assert.Equal(["R3"], Ids(await Store.SearchResidentsAsync(new ResidentQuery("山田", new DateOnly(1990, 5, 1)), default)));
        Assert.Equal(["R4"], Ids(await Store.SearchResidentsAsync(new ResidentQuery("%_"), default)));
        Assert.Single(await Store.SearchResidentsAsync(new ResidentQuery("ハナコ", Limit: 1), default));
        Assert.Empty(await Store.SearchResidentsAsync(new ResidentQuery("佐藤"), default));
    }

    [Fact]
    public async Task SearchResidents_NothingAsked_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SearchResidentsAsync(new ResidentQuery("  　"), default));
    }

    private static string[] Ids(IReadOnlyList<Resident> residents) => [.. residents.Select(r => r.Id)];

    private static Resident Person(string id) =>
        new(id, "山田　太郎", "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H1");
}
