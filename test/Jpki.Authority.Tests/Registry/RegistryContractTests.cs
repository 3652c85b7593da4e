using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Registry;

/// <summary>
/// The registry contract: every store (SQLite, PostgreSQL) passes these tests. A derived class supplies a fresh,
/// empty database per test and can reopen it.
/// </summary>
public abstract partial class RegistryContractTests : IAsyncLifetime
{
    private readonly List<IRegistryStore> _opened = [];

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    protected IRegistryStore Store { get; private set; } = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        Store = await OpenAsync();
        await Store.MigrateAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    [Fact]
    public async Task AddAsync_ThenFindBySerial_ReturnsTheRecord()
    {
        var record = TestRecords.Create("0A1B2C") with
        {
            PreviousSerialHex = "0A0000",
            NotBefore = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(9)),
        };
        await Store.AddAsync(record, Ct);

        var found = await Store.FindBySerialAsync("0A1B2C", Ct);

        Assert.NotNull(found);
        AssertSame(record, found);
    }

    [Fact]
    public async Task FindBySerialAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await Store.FindBySerialAsync("DEAD", Ct));
    }

    [Fact]
    public async Task AddAsync_InstantsWithSubMicrosecondTicks_AreKeptToTheMicrosecond()
    {
        var notAfter = new DateTimeOffset(2031, 3, 31, 14, 59, 59, TimeSpan.Zero).AddTicks(1234567);
        await Store.AddAsync(TestRecords.Create("01", notAfter: notAfter), Ct);

        var found = await Store.FindBySerialAsync("01", Ct);

        Assert.Equal(notAfter.AddTicks(-7), found!.NotAfter);
    }

    [Fact]
    public async Task FindByCardAsync_ReturnsTheCardsCertificatesOldestFirst()
    {
        await Store.AddAsync(TestRecords.Create("03", CertificateKind.Authentication, card: "C1", issuedAt: TestRecords.Issued.AddMinutes(2)), Ct);
        await Store.AddAsync(TestRecords.Create("02", CertificateKind.Signature, card: "C1", issuedAt: TestRecords.Issued.AddMinutes(1)), Ct);
        await Store.AddAsync(TestRecords.Create("04", card: "C2"), Ct);

        var found = await Store.FindByCardAsync("C1", Ct);

        Assert.Equal(["02", "03"], found.Select(r => r.SerialHex));
        Assert.Empty(await Store.FindByCardAsync("C9", Ct));
    }

    [Fact]
    public async Task FindByHolderAsync_ReturnsBothKindsAcrossCardsOldestFirst()
    {
        await Store.AddAsync(TestRecords.Create("10", CertificateKind.Signature, card: "OLD", holder: "H1", issuedAt: TestRecords.Issued), Ct);
        await Store.AddAsync(TestRecords.Create("11", CertificateKind.Authentication, card: "OLD", holder: "H1", issuedAt: TestRecords.Issued.AddSeconds(1)), Ct);
        await Store.AddAsync(TestRecords.Create("12", CertificateKind.Signature, card: "NEW", holder: "H1", issuedAt: TestRecords.Issued.AddYears(1)), Ct);
        await Store.AddAsync(TestRecords.Create("13", holder: "H2"), Ct);

        var found = await Store.FindByHolderAsync("H1", Ct);

        Assert.Equal(["10", "11", "12"], found.Select(r => r.SerialHex));
        Assert.Equal([CertificateKind.Signature, CertificateKind.Authentication, CertificateKind.Signature], found.Select(r => r.Kind));
    }

    [Fact]
    public async Task AddAsync_DuplicateSerial_ThrowsDuplicateSerialException()
    {
        await Store.AddAsync(TestRecords.Create("7F01"), Ct);

        await Assert.ThrowsAsync<DuplicateSerialException>(() => Store.AddAsync(TestRecords.Create("7F01", card: "OTHER"), Ct));
        Assert.Equal("CARD-1", (await Store.FindBySerialAsync("7F01", Ct))!.CardId);
    }

    [Fact]
    public async Task AddAsync_SameSerialOnTheOtherCa_ThrowsDuplicateSerialException()
    {
        await Store.AddAsync(TestRecords.Create("7F02", CertificateKind.Signature), Ct);

        await Assert.ThrowsAsync<DuplicateSerialException>(() => Store.AddAsync(TestRecords.Create("7F02", CertificateKind.Authentication), Ct));
    }

    [Fact]
    public async Task AddAsync_LowercaseSerial_ThrowsArgumentException()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(TestRecords.Create("0a"), Ct));
        Assert.Equal("record", error.ParamName);
    }

    [Fact]
    public async Task RevokeAsync_Valid_RevokesAndKeepsTimeAndReason()
    {
        await Store.AddAsync(TestRecords.Create("20"), Ct);
        var revokedAt = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

        var result = await Store.RevokeAsync("20", RevocationReason.KeyCompromise, revokedAt, revokedAt.AddSeconds(5), Ct);

        Assert.Equal(RevokeResult.Revoked, result);
        var found = await Store.FindBySerialAsync("20", Ct);
        Assert.Equal(new RevocationInfo(revokedAt, RevocationReason.KeyCompromise, revokedAt.AddSeconds(5)), found!.Revocation);
    }

    [Fact]
    public async Task RevokeAsync_Twice_AnswersAlreadyRevokedAndKeepsTheFirst()
    {
        await Store.AddAsync(TestRecords.Create("21"), Ct);
        var first = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        await Store.RevokeAsync("21", RevocationReason.AffiliationChanged, first, first, Ct);

        var second = await Store.RevokeAsync("21", RevocationReason.KeyCompromise, first.AddDays(1), first.AddDays(1), Ct);

        Assert.Equal(RevokeResult.AlreadyRevoked, second);
        var found = await Store.FindBySerialAsync("21", Ct);
        Assert.Equal(RevocationReason.AffiliationChanged, found!.Revocation!.Reason);
        Assert.Equal(first, found.Revocation.RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_Unknown_AnswersNotFound()
    {
        Assert.Equal(RevokeResult.NotFound, await Store.RevokeAsync("99", RevocationReason.Unspecified, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task RevokeAsync_ConcurrentRevocations_ExactlyOneWins()
    {
        await Store.AddAsync(TestRecords.Create("22"), Ct);
        var at = Clock.GetUtcNow();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Store.RevokeAsync("22", (RevocationReason)(i % 5), at.AddSeconds(i), at.AddSeconds(i), Ct))));

        Assert.Single(results, r => r == RevokeResult.Revoked);
        Assert.Equal(15, results.Count(r => r == RevokeResult.AlreadyRevoked));
        var winner = Array.IndexOf(results, RevokeResult.Revoked);
        var found = await Store.FindBySerialAsync("22", Ct);
        Assert.Equal(at.AddSeconds(winner), found!.Revocation!.RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_UndefinedReason_ThrowsArgumentOutOfRange()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.RevokeAsync("22", (RevocationReason)6, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct));
        Assert.Equal("reason", error.ParamName);
    }

    [Fact]
    public async Task StreamRevokedAsync_ReturnsRevokedUnexpiredOfOneCaInSerialOrder()
    {
        var at = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var revokedAt = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        await Store.AddAsync(TestRecords.Create("C3"), Ct);                                   // revoked
        await Store.AddAsync(TestRecords.Create("A1"), Ct);                                   // revoked
        await Store.AddAsync(TestRecords.Create("B2"), Ct);                                   // not revoked
        await Store.AddAsync(TestRecords.Create("D4", notAfter: at.AddTicks(-10)), Ct);       // revoked, expired before `at`
        await Store.AddAsync(TestRecords.Create("E5", notAfter: at), Ct);                     // revoked, expires exactly at `at`: still listed
        await Store.AddAsync(TestRecords.Create("0F", CertificateKind.Authentication), Ct);   // revoked, other CA
        foreach (var (serial, reason) in new[] { ("C3", RevocationReason.KeyCompromise), ("A1", RevocationReason.AffiliationChanged), ("D4", RevocationReason.Unspecified), ("E5", RevocationReason.Superseded), ("0F", RevocationReason.CessationOfOperation) })
        {
            Assert.Equal(RevokeResult.Revoked, await Store.RevokeAsync(serial, reason, revokedAt, revokedAt, Ct));
        }

        var entries = new List<RevokedEntry>();
        await foreach (var entry in Store.StreamRevokedAsync(CertificateKind.Signature, at, Ct))
        {
            entries.Add(entry);
        }

        Assert.Equal(
            [new RevokedEntry("A1", revokedAt, RevocationReason.AffiliationChanged, 0, 2), new RevokedEntry("C3", revokedAt, RevocationReason.KeyCompromise, 0, 1), new RevokedEntry("E5", revokedAt, RevocationReason.Superseded, 0, 4)],
            entries);
    }

    [Fact]
    public async Task StreamRevokedAsync_Empty_YieldsNothing()
    {
        await foreach (var entry in Store.StreamRevokedAsync(CertificateKind.Authentication, Clock.GetUtcNow(), Ct))
        {
            Assert.Fail($"unexpected entry {entry.SerialHex}");
        }
    }

    [Fact]
    public async Task NextCrlNumberAsync_StartsAtOneAndCountsPerCa()
    {
        Assert.Equal(1, await Store.NextCrlNumberAsync(CertificateKind.Signature, Ct));
        Assert.Equal(2, await Store.NextCrlNumberAsync(CertificateKind.Signature, Ct));
        Assert.Equal(1, await Store.NextCrlNumberAsync(CertificateKind.Authentication, Ct));
        Assert.Equal(3, await Store.NextCrlNumberAsync(CertificateKind.Signature, Ct));
    }

    [Fact]
    public async Task NextCrlNumberAsync_Concurrent_AllocatesEachNumberOnce()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 50; i++)
            {
                mine.Add(await Store.NextCrlNumberAsync(CertificateKind.Authentication, Ct));
            }

            Assert.Equal(mine.Order(), mine); // monotonic as each caller sees them
            return mine;
        })));

        Assert.Equal(Enumerable.Range(1, 400).Select(n => (long)n), numbers.SelectMany(n => n).Order());
    }

    [Fact]
    public async Task AddAsync_ConcurrentWriters_StoreEveryCertificateOnce()
    {
        const int Writers = 8;
        const int PerWriter = 200;
        var serials = Enumerable.Range(0, Writers).Select(_ => Enumerable.Range(0, PerWriter).Select(_ => TestRecords.RandomSerial()).ToArray()).ToArray();

        await Task.WhenAll(serials.Select((mine, w) => Task.Run(async () =>
        {
            foreach (var serial in mine)
            {
                await Store.AddAsync(TestRecords.Create(serial, card: $"W{w}"), Ct);
            }
        })));

        for (var w = 0; w < Writers; w++)
        {
            var found = await Store.FindByCardAsync($"W{w}", Ct);
            Assert.Equal(serials[w].Order(StringComparer.Ordinal), found.Select(r => r.SerialHex).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task AddAsync_ConcurrentWritersRacingForOneSerial_ExactlyOneWins()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            try
            {
                await Store.AddAsync(TestRecords.Create("5E5E", card: $"W{w}"), Ct);
                return true;
            }
            catch (DuplicateSerialException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }

    [Fact]
    public async Task Reopen_AfterAcknowledgedWrites_EverythingIsThere()
    {
        await Store.AddAsync(TestRecords.Create("30"), Ct);
        await Store.AddAsync(TestRecords.Create("31", CertificateKind.Authentication), Ct);
        await Store.RevokeAsync("30", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);
        await Store.NextCrlNumberAsync(CertificateKind.Signature, Ct);
        await Store.AppendAsync(new Audit.AuditEntry(Clock.GetUtcNow(), "staff-1", "cert.revoke", "30", "{}"), Ct);
        await Store.DisposeAsync();

        var reopened = await OpenAsync();
        await reopened.MigrateAsync(Ct);

        Assert.NotNull((await reopened.FindBySerialAsync("30", Ct))!.Revocation);
        Assert.NotNull(await reopened.FindBySerialAsync("31", Ct));
        Assert.Equal(2, await reopened.NextCrlNumberAsync(CertificateKind.Signature, Ct));
        Assert.True((await reopened.VerifyAsync(Ct)).IsIntact);
        Assert.Equal(1, (await reopened.GetHeadAsync(Ct))!.Sequence);
    }

    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    /// <summary>Opens a new store on this test's database (not migrated).</summary>
    protected abstract Task<IRegistryStore> OpenStoreAsync();

    /// <summary>Migrates <paramref name="store"/> up to <paramref name="version"/> only.</summary>
    protected abstract Task MigrateToAsync(IRegistryStore store, int version);

    /// <summary>Runs SQL on this test's database with the append-only and never-unrevoked guards switched off (an attacker with database access).</summary>
    protected abstract Task ExecuteUnguardedAsync(string sql);

    /// <summary>Runs SQL on this test's database with the guards in place; returns the error, or null.</summary>
    protected abstract Task<Exception?> TryExecuteAsync(string sql);

    /// <summary>SQL that inserts a signature certificate <paramref name="serial"/> (random DER) on any schema version.</summary>
    protected abstract string InsertByHandSql(string serial);

    /// <summary>SQL that revokes <paramref name="serial"/> (keyCompromise) recorded <paramref name="second"/> seconds after <see cref="TestRecords.Issued"/>, on any schema version.</summary>
    protected abstract string RevokeByHandSql(string serial, int second);

    protected async Task<IRegistryStore> OpenAsync()
    {
        var store = await OpenStoreAsync();
        _opened.Add(store);
        return store;
    }

    private static void AssertSame(CertificateRecord expected, CertificateRecord actual)
    {
        Assert.Equal(expected.SerialHex, actual.SerialHex);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.CardId, actual.CardId);
        Assert.Equal(expected.HolderId, actual.HolderId);
        Assert.Equal(expected.NotBefore, actual.NotBefore);
        Assert.Equal(expected.NotAfter, actual.NotAfter);
        Assert.Equal(expected.IssuedAt, actual.IssuedAt);
        Assert.Equal(expected.PreviousSerialHex, actual.PreviousSerialHex);
        Assert.Equal(expected.Der.ToArray(), actual.Der.ToArray());
        Assert.Equal(expected.Revocation, actual.Revocation);
        Assert.Equal(expected.CrlPartition, actual.CrlPartition);
    }
}
