using Jpki.Authority.Audit;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Registry;

/// <summary>The issuance part of the contract: a certificate and its audit entry stored as one durable unit.</summary>
public abstract partial class RegistryContractTests
{
    [Fact]
    public async Task AddWithAuditAsync_StoresTheCertificateAndChainsItsEntry()
    {
        await Store.AppendAsync(IssueEntry("ca.init", "sign"), Ct);
        var record = TestRecords.Create("0ABC", CertificateKind.Authentication);

        var sequence = await Store.AddWithAuditAsync(record, IssueEntry("cert.issue", "0ABC"), Ct);

        Assert.Equal(2, sequence);
        AssertSame(record, (await Store.FindBySerialAsync("0ABC", Ct))!);
        var verdict = await Store.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(2, verdict.Head!.Sequence);
    }

    [Fact]
    public async Task AddWithAuditAsync_DuplicateSerial_ThrowsAndLogsNothing()
    {
        await Store.AddWithAuditAsync(TestRecords.Create("0D0D", card: "FIRST"), IssueEntry("cert.issue", "0D0D"), Ct);

        await Assert.ThrowsAsync<DuplicateSerialException>(() =>
            Store.AddWithAuditAsync(TestRecords.Create("0D0D", card: "SECOND"), IssueEntry("cert.issue", "0D0D again"), Ct));

        Assert.Equal("FIRST", (await Store.FindBySerialAsync("0D0D", Ct))!.CardId);
        var verdict = await Store.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(1, verdict.EntriesChecked);
    }

    [Fact]
    public async Task AddWithAuditAsync_ConcurrentIssuersWithSomeDuplicates_EveryStoredCertificateHasExactlyOneEntry()
    {
        const int Writers = 8;
        const int PerWriter = 60;

        // Every writer also tries a serial shared by all of them: exactly one of those wins, inside busy batches.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var stored = new List<(string Serial, long Sequence)>();
            for (var i = 0; i < PerWriter; i++)
            {
                var serial = i == PerWriter / 2 ? "5A5A" : TestRecords.RandomSerial();
                try
                {
                    stored.Add((serial, await Store.AddWithAuditAsync(TestRecords.Create(serial, card: $"W{w}"), IssueEntry("cert.issue", serial), Ct)));
                }
                catch (DuplicateSerialException)
                {
                    Assert.Equal("5A5A", serial);
                }
            }

            return stored;
        })));

        var all = outcomes.SelectMany(o => o).ToList();
        Assert.Equal(Writers * (PerWriter - 1) + 1, all.Count);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(n => (long)n), all.Select(s => s.Sequence).Order());
        var verdict = await Store.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(all.Count, verdict.EntriesChecked);
        for (var w = 0; w < Writers; w++)
        {
            var mine = outcomes[w].Select(s => s.Serial).Order(StringComparer.Ordinal);
            Assert.Equal(mine, (await Store.FindByCardAsync($"W{w}", Ct)).Select(r => r.SerialHex).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task AddWithAuditAsync_TwoStoresOnOneDatabase_ChainStaysLinearAndIntact()
    {
        // Two processes sharing the database: each store keeps its own idea of the head between batches.
        var second = await OpenAsync();
        var stores = new[] { Store, second };

        var sequences = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 25; i++)
            {
                var serial = TestRecords.RandomSerial();
                mine.Add(await stores[w % 2].AddWithAuditAsync(TestRecords.Create(serial), IssueEntry("cert.issue", serial), Ct));
            }

            return mine;
        })));

        Assert.Equal(Enumerable.Range(1, 200).Select(n => (long)n), sequences.SelectMany(s => s).Order());
        var verdict = await second.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(200, verdict.EntriesChecked);
    }

    [Fact]
    public async Task AddWithAuditAsync_AfterReopen_CertificateAndEntryAreThere()
    {
        await Store.AddWithAuditAsync(TestRecords.Create("3E"), IssueEntry("cert.issue", "3E"), Ct);

        var reopened = await OpenAsync();

        Assert.NotNull(await reopened.FindBySerialAsync("3E", Ct));
        Assert.Equal(1, (await reopened.GetHeadAsync(Ct))!.Sequence);
    }

    [Fact]
    public async Task RevokeWithAuditAsync_LogsOnlyTheRevocationThatHappened()
    {
        await Store.AddWithAuditAsync(TestRecords.Create("7A"), IssueEntry("cert.issue", "7A"), Ct);
        var at = Clock.GetUtcNow();

        var first = await Store.RevokeWithAuditAsync("7A", RevocationReason.KeyCompromise, at, at, IssueEntry("cert.revoke", "7A"), Ct);
        var second = await Store.RevokeWithAuditAsync("7A", RevocationReason.Superseded, at, at, IssueEntry("cert.revoke", "7A again"), Ct);
        var unknown = await Store.RevokeWithAuditAsync("7B", RevocationReason.Superseded, at, at, IssueEntry("cert.revoke", "7B"), Ct);

        Assert.Equal(RevokeResult.Revoked, first);
        Assert.Equal(RevokeResult.AlreadyRevoked, second);
        Assert.Equal(RevokeResult.NotFound, unknown);
        Assert.Equal(RevocationReason.KeyCompromise, (await Store.FindBySerialAsync("7A", Ct))!.Revocation!.Reason);
        var verdict = await Store.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(2, verdict.EntriesChecked);
    }

    [Fact]
    public async Task RevokeWithAuditAsync_InterleavedWithIssuance_ChainStaysLinearAndIntact()
    {
        // Issuance goes through the batching writer (which caches the head), revocation past it.
        var serials = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var serial = TestRecords.RandomSerial();
            serials.Add(serial);
            await Store.AddWithAuditAsync(TestRecords.Create(serial), IssueEntry("cert.issue", serial), Ct);
            if (i % 2 == 1)
            {
                await Store.RevokeWithAuditAsync(serials[i - 1], RevocationReason.Unspecified, Clock.GetUtcNow(), Clock.GetUtcNow(), IssueEntry("cert.revoke", serials[i - 1]), Ct);
            }
        }

        var verdict = await Store.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(9, verdict.EntriesChecked);
    }

    private AuditEntry IssueEntry(string action, string subject) => new(Clock.GetUtcNow(), "issuer", action, subject, "{}");
}
