using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Registry;

/// <summary>Migrations and the database-level guards.</summary>
public abstract partial class RegistryContractTests
{
    private const int LatestVersion = 5;

    [Fact]
    public async Task MigrateAsync_Twice_IsIdempotent()
    {
        await Store.AddAsync(TestRecords.Create("80"), Ct);

        await Store.MigrateAsync(Ct);
        await Store.MigrateAsync(Ct);

        Assert.Equal(LatestVersion, await Store.GetSchemaVersionAsync(Ct));
        Assert.NotNull(await Store.FindBySerialAsync("80", Ct));
    }

    [Fact]
    public async Task MigrateAsync_FromPreviousVersion_UpgradesAndKeepsData()
    {
        await DropDatabaseAsync();
        await CreateDatabaseAsync();
        var old = await OpenAsync();
        Assert.Equal(0, await old.GetSchemaVersionAsync(Ct));
        // Version 2: before the revocation sequence (3) and the request ids (4), so the upgrade crosses both.
        await MigrateToAsync(old, 2);
        Assert.Equal(2, await old.GetSchemaVersionAsync(Ct));
        foreach (var serial in new[] { "81", "8F", "8E" })
        {
            Assert.Null(await TryExecuteAsync(InsertByHandSql(serial)));
        }

        Assert.Null(await TryExecuteAsync(RevokeByHandSql("8F", 1)));
        Assert.Null(await TryExecuteAsync(RevokeByHandSql("8E", 2)));

        await old.MigrateAsync(Ct);

        Assert.Equal(LatestVersion, await old.GetSchemaVersionAsync(Ct));
        Assert.NotNull(await old.FindBySerialAsync("81", Ct));

        // Revocations made before the revocation sequence existed are numbered in the order they were recorded.
        Assert.Equal(2, await old.GetRevocationCursorAsync(Ct));
        Assert.Equal([("8F", 1L), ("8E", 2L)], (await old.ReadRevocationsAfterAsync(0, 10, Ct)).Select(c => (c.SerialHex, c.Sequence)));
        Assert.Equal(RevokeResult.Revoked, await old.RevokeAsync("81", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct));
        Assert.Equal(3, await old.GetRevocationCursorAsync(Ct));
        Assert.Equal(1, await old.AppendAsync(new Audit.AuditEntry(Clock.GetUtcNow(), "system", "schema.upgrade", "2", ""), Ct));
    }

    [Fact]
    public async Task MigrateAsync_TwoStoresAtOnceOnAnEmptyDatabase_BothSucceed()
    {
        await DropDatabaseAsync();
        await CreateDatabaseAsync();
        var first = await OpenAsync();
        var second = await OpenAsync();

        await Task.WhenAll(Task.Run(() => first.MigrateAsync(Ct)), Task.Run(() => second.MigrateAsync(Ct)));

        Assert.Equal(LatestVersion, await first.GetSchemaVersionAsync(Ct));
        await first.AddAsync(TestRecords.Create("82"), Ct);
        Assert.NotNull(await second.FindBySerialAsync("82", Ct));
    }

    [Fact]
    public async Task Database_UnrevokingByHand_IsRefused()
    {
        await Store.AddAsync(TestRecords.Create("83"), Ct);
        await Store.RevokeAsync("83", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);

        var error = await TryExecuteAsync("UPDATE certificates SET revoked_at = NULL, revocation_reason = NULL, revocation_recorded_at = NULL WHERE serial = '83'");

        Assert.NotNull(error);
        Assert.Contains("never un-revoked", error.Message, StringComparison.Ordinal);
        Assert.NotNull((await Store.FindBySerialAsync("83", Ct))!.Revocation);
    }

    [Fact]
    public async Task Database_EditingTheAuditLogByHand_IsRefused()
    {
        await Store.AppendAsync(new Audit.AuditEntry(Clock.GetUtcNow(), "staff-1", "cert.issue", "84", ""), Ct);

        var update = await TryExecuteAsync("UPDATE audit_log SET details = 'x'");
        var delete = await TryExecuteAsync("DELETE FROM audit_log");

        Assert.Contains("append-only", update?.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete?.Message, StringComparison.Ordinal);
        Assert.True((await Store.VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task StreamRevokedAsync_ManyRows_StreamsAllInOrder()
    {
        var revokedAt = Clock.GetUtcNow();
        var serials = Enumerable.Range(0, 300).Select(_ => TestRecords.RandomSerial()).ToList();
        await Task.WhenAll(serials.Select(s => Store.AddAsync(TestRecords.Create(s, CertificateKind.Authentication), Ct)));
        await Task.WhenAll(serials.Select(s => Store.RevokeAsync(s, RevocationReason.Unspecified, revokedAt, revokedAt, Ct)));

        var streamed = new List<string>();
        await foreach (var entry in Store.StreamRevokedAsync(CertificateKind.Authentication, revokedAt, Ct))
        {
            streamed.Add(entry.SerialHex);
        }

        Assert.Equal(serials.Order(StringComparer.Ordinal), streamed);
    }
}
