using Jpki.Authority.Audit;
using Jpki.Authority.Contracts;
using Jpki.Authority.Registry;

namespace Jpki.Authority.Tests.Registry;

/// <summary>
/// <c>audit verify</c>'s second half (<see cref="IRegistryStore.VerifyWithRegistryAsync"/>): someone with database access who
/// leaves the append-only log alone but deletes a revoked row, un-revokes a certificate, deletes an issued one or inserts one
/// is found — on SQLite and on PostgreSQL, with the guards (triggers) switched off as an attacker would.
/// </summary>
public abstract partial class RegistryContractTests
{
    [Fact]
    public async Task VerifyWithRegistry_AuditedIssuanceAndRevocation_IsIntact()
    {
        await IssueAndRevokeAsync();

        var verdict = await Store.VerifyWithRegistryAsync(null, Ct);

        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(3, verdict.EntriesChecked);
    }

    [Fact]
    public async Task VerifyWithRegistry_RevokedRowDeleted_ReportsItsFirstEntry()
    {
        await IssueAndRevokeAsync();

        await ExecuteUnguardedAsync("DELETE FROM certificates WHERE serial = '5A01'");
        var chainOnly = await Store.VerifyAsync(Ct);
        var verdict = await Store.VerifyWithRegistryAsync(null, Ct);

        Assert.True(chainOnly.IsIntact);
        AssertDisagrees(verdict, 1, "5A01");
    }

    [Fact]
    public async Task VerifyWithRegistry_RevocationUndone_ReportsTheRevocationEntry()
    {
        await IssueAndRevokeAsync();

        await ExecuteUnguardedAsync("UPDATE certificates SET revoked_at = NULL, revocation_reason = NULL, revocation_recorded_at = NULL WHERE serial = '5A01'");
        var verdict = await Store.VerifyWithRegistryAsync(null, Ct);

        AssertDisagrees(verdict, 3, "5A01");
    }

    [Fact]
    public async Task VerifyWithRegistry_IssuedRowDeleted_ReportsTheIssuanceEntry()
    {
        await IssueAndRevokeAsync();

        await ExecuteUnguardedAsync("DELETE FROM certificates WHERE serial = '5A02'");
        var verdict = await Store.VerifyWithRegistryAsync(null, Ct);

        AssertDisagrees(verdict, 2, "5A02");
    }

    [Fact]
    public async Task VerifyWithRegistry_RowInsertedBesideTheLog_IsReported()
    {
        await IssueAndRevokeAsync();

        await ExecuteUnguardedAsync(InsertByHandSql("5A03"));
        var verdict = await Store.VerifyWithRegistryAsync(null, Ct);

        AssertDisagrees(verdict, null, "5A03");
    }

    [Fact]
    public async Task VerifyWithRegistry_RevokedByHandWithoutAnEntry_IsReported()
    {
        await IssueAndRevokeAsync();

        await ExecuteUnguardedAsync(RevokeByHandSql("5A02", 5));
        var verdict = await Store.VerifyWithRegistryAsync(null, Ct);

        AssertDisagrees(verdict, null, "5A02");
        Assert.Contains("revocation", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWithRegistry_BrokenChain_IsReportedAsTheChainProblem()
    {
        await IssueAndRevokeAsync();

        await ExecuteUnguardedAsync("UPDATE audit_log SET details = '{\"forged\":1}' WHERE seq = 2");
        var verdict = await Store.VerifyWithRegistryAsync(null, Ct);

        AssertBroken(verdict, 2, AuditProblem.Changed);
    }

    private async Task IssueAndRevokeAsync()
    {
        await Store.AddWithAuditAsync(TestRecords.Create("5A01"), new AuditEntry(Clock.GetUtcNow(), "issuer", "cert.issue", "5A01", "{}"), Ct);
        await Store.AddWithAuditAsync(TestRecords.Create("5A02"), new AuditEntry(Clock.GetUtcNow(), "issuer", "cert.issue", "5A02", "{}"), Ct);
        var at = Clock.GetUtcNow();
        Assert.Equal(RevokeResult.Revoked, await Store.RevokeWithAuditAsync("5A01", RevocationReason.KeyCompromise, at, at, new AuditEntry(at, "issuer", "cert.revoke", "5A01", "{}"), Ct));
    }

    private static void AssertDisagrees(AuditVerification verdict, long? sequence, string serial)
    {
        Assert.False(verdict.IsIntact);
        Assert.Equal(AuditProblem.RegistryDisagrees, verdict.Kind);
        Assert.Equal(sequence, verdict.FirstBrokenSequence);
        Assert.Contains(serial, verdict.Problem, StringComparison.Ordinal);
    }
}
