using Jpki.OnlineApplication;
using Microsoft.Data.Sqlite;

namespace Jpki.OnlineApplication.Tests;

public sealed class SqliteApplicationStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-eapp-store-");

    private string Db => Path.Combine(_directory.FullName, "eapp.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    private static StoredApplication Sample(string receipt, string sha) => new(
        receipt, Now, RequestKind.ResidenceRecord, [1, 2, 3], sha, [4, 5], "valid", "ok", Now, "CN=x", "01",
        "電子　花子", "00000", "東京都", "000", new DateOnly(1990, 2, 28), 2);

    [Fact]
    public async Task Add_ThenReopen_ReadsItBack()
    {
        var store = new SqliteApplicationStore(Db);
        await store.MigrateAsync(CancellationToken.None);
        Assert.True(await store.AddAsync(Sample("EA-1", "AA"), CancellationToken.None));

        var reopened = new SqliteApplicationStore(Db);
        await reopened.MigrateAsync(CancellationToken.None);
        var found = await reopened.FindAsync("EA-1", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(Sample("EA-1", "AA") with { Document = found.Document, Signature = found.Signature }, found);
        Assert.Equal([1, 2, 3], found.Document);
        Assert.Single(await reopened.ListAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Add_SameDocumentTwice_SecondRefused()
    {
        var store = new SqliteApplicationStore(Db);
        await store.MigrateAsync(CancellationToken.None);

        Assert.True(await store.AddAsync(Sample("EA-1", "AA"), CancellationToken.None));
        Assert.False(await store.AddAsync(Sample("EA-2", "AA"), CancellationToken.None));
    }

    [Fact]
    public async Task Decide_OnlyOnce()
    {
        var store = new SqliteApplicationStore(Db);
        await store.MigrateAsync(CancellationToken.None);
        await store.AddAsync(Sample("EA-1", "AA"), CancellationToken.None);

        Assert.True(await store.DecideAsync("EA-1", ApplicationStatus.Rejected, "本人確認できず", "clerk", Now, CancellationToken.None));
        Assert.False(await store.DecideAsync("EA-1", ApplicationStatus.Done, "", "clerk", Now, CancellationToken.None));
        Assert.False(await store.DecideAsync("EA-9", ApplicationStatus.Done, "", "clerk", Now, CancellationToken.None));
        var found = await store.FindAsync("EA-1", CancellationToken.None);
        Assert.Equal(ApplicationStatus.Rejected, found!.Status);
        Assert.Equal("本人確認できず", found.StaffNote);
    }
}
