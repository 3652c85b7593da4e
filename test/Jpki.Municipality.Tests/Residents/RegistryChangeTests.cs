using Jpki.Core.Identity;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Tests.Residents;

/// <summary>Run on SQLite (<see cref="SqliteRegistryChangeTests"/>) and PostgreSQL (<see cref="PostgresRegistryChangeTests"/>).</summary>
public abstract class RegistryChangeTests : IAsyncLifetime
{
    private readonly CounterHarness _h;

    protected RegistryChangeTests(CounterHarness harness) => _h = harness;

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    public static TheoryData<ResidentChange> SignOnlyChanges => new()
    {
        new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都千代田区丸の内２－２"),
        new ResidentChange(ResidentChangeKind.MoveOut, "R1", NewAddress: "大阪府大阪市北区１"),
        new ResidentChange(ResidentChangeKind.NameChange, "R1", NewName: "鈴木　太郎", NewNameKana: "スズキ　タロウ"),
        new ResidentChange(ResidentChangeKind.BirthDateCorrection, "R1", NewDateOfBirth: new DateOnly(1980, 2, 18)),
        new ResidentChange(ResidentChangeKind.SexCorrection, "R1", NewSex: Sex.Female),
    };

    [Theory]
    [MemberData(nameof(SignOnlyChanges))]
    public async Task ApplyAsync_BasicFourInfoChange_RevokesSignatureOnlyAffiliationChanged(ResidentChange change)
    {
        await IssueBothAsync();

        var outcome = await _h.Changes.ApplyAsync(change, _h.Clerk, default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.True(outcome.Value!.AllRevocationsDone);
        Assert.Equal(RevocationReason.AffiliationChanged, _h.Issuer.Single(CertificateKind.Signature, revoked: true).Revocation!.Reason);
        Assert.Null(_h.Issuer.Single(CertificateKind.Authentication, revoked: false).Revocation);
        Assert.Single(await _h.Store.ListChangesAsync("R1", default));
    }

    [Fact]
    public async Task ApplyAsync_Move_UpdatesAddress()
    {
        await IssueBothAsync();

        await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都港区１"), _h.Clerk, default);

        Assert.Equal("東京都港区１", (await _h.Store.FindResidentAsync("R1", default))!.Address);
    }

    [Theory]
    [InlineData(ResidentChangeKind.Death, RevocationReason.CessationOfOperation)]
    [InlineData(ResidentChangeKind.CardLoss, RevocationReason.KeyCompromise)]
    public async Task ApplyAsync_DeathOrCardLoss_RevokesBoth(ResidentChangeKind kind, RevocationReason reason)
    {
        await IssueBothAsync();

        var outcome = await _h.Changes.ApplyAsync(new ResidentChange(kind, "R1", CardId: "C-R1"), _h.Clerk, default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.All(_h.Issuer.Records, r => Assert.Equal(reason, r.Revocation!.Reason));
    }

    [Fact]
    public async Task ApplyAsync_CardLoss_CardMarkedLostAndRefusedAtCounter()
    {
        var card = await IssueBothAsync();

        await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.CardLoss, "R1", CardId: "C-R1"), _h.Clerk, default);

        Assert.Equal(CardStatus.Lost, (await _h.Store.FindCardAsync("C-R1", default))!.Status);
        Assert.Equal("card-not-active", (await _h.IssueAsync(card, CounterHarness.Request("R1"))).Code);
    }

    [Fact]
    public async Task ApplyAsync_Death_ResidentNotActiveAfterwards()
    {
        var card = await IssueBothAsync();

        await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.Death, "R1"), _h.Clerk, default);

        Assert.Equal(ResidentStatus.Deceased, (await _h.Store.FindResidentAsync("R1", default))!.Status);
        Assert.Equal("resident-not-active", (await _h.IssueAsync(card, CounterHarness.Request("R1"))).Code);
        Assert.Equal("resident-not-active", (await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "X"), _h.Clerk, default)).Code);
    }

    [Fact]
    public async Task ApplyAsync_AuthorityDown_EventRecordedRevocationPendingThenRetried()
    {
        await IssueBothAsync();
        _h.Issuer.Failing = true;

        var outcome = await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都港区１"), _h.Clerk, default);

        Assert.True(outcome.IsAllowed);
        Assert.False(outcome.Value!.AllRevocationsDone);
        Assert.Equal("東京都港区１", (await _h.Store.FindResidentAsync("R1", default))!.Address);
        var pending = Assert.Single(await _h.Store.ListPendingTasksAsync(default));
        Assert.Equal((1, CertificateKind.Signature), (pending.Attempts, pending.Kind));
        Assert.Contains("HttpRequestException", pending.LastError, StringComparison.Ordinal);
        Assert.All(_h.Issuer.Records, r => Assert.Null(r.Revocation));

        Assert.Equal(1, await _h.Changes.RetryPendingAsync(default));
        _h.Issuer.Failing = false;
        Assert.Equal(0, await _h.Changes.RetryPendingAsync(default));

        Assert.Equal(RevocationReason.AffiliationChanged, _h.Issuer.Single(CertificateKind.Signature, revoked: true).Revocation!.Reason);
        var done = Assert.Single(await _h.Store.ListTasksAsync(outcome.Value.Change.Id, default));
        Assert.Equal((RevocationTaskStatus.Done, 3), (done.Status, done.Attempts));
        Assert.Equal(_h.Issuer.Single(CertificateKind.Signature, revoked: true).Serial.Hex, done.RevokedSerials);
    }

    [Fact]
    public async Task RetryPendingAsync_DoesNotRevokeCertificateIssuedAfterTheEvent()
    {
        var card = await IssueBothAsync();
        _h.Issuer.Failing = true;
        await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都港区１"), _h.Clerk, default);
        _h.Issuer.Failing = false;
        // Someone revokes and re-issues before the retry runs (the old one was revoked by request).
        await _h.Counter.RevokeOnRequestAsync(_h.Clerk, new Jpki.Municipality.Applications.RevocationRequest("R1", true, [CertificateKind.Signature]), default);
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await _h.IssueAsync(card, CounterHarness.Request("R1", includeAuth: false, auth: null))).IsAllowed);

        await _h.Changes.RetryPendingAsync(default);

        Assert.Single(_h.Issuer.Records, r => r.Kind == CertificateKind.Signature && r.Revocation is null);
    }

    public static TheoryData<ResidentChange, string> Refusals => new()
    {
        { new ResidentChange(ResidentChangeKind.MoveWithin, "NOPE", NewAddress: "X"), "resident-not-found" },
        { new ResidentChange(ResidentChangeKind.MoveWithin, "R1"), "change-invalid" },
        { new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都千代田区千代田１－１"), "change-invalid" },
        { new ResidentChange(ResidentChangeKind.NameChange, "R1", NewName: "山田　太郎"), "change-invalid" },
        { new ResidentChange(ResidentChangeKind.BirthDateCorrection, "R1", NewDateOfBirth: new DateOnly(2030, 1, 1)), "change-invalid" },
        { new ResidentChange(ResidentChangeKind.SexCorrection, "R1", NewSex: Sex.Male), "change-invalid" },
        { new ResidentChange(ResidentChangeKind.CardLoss, "R1", CardId: "C-OTHER"), "card-not-holders" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ApplyAsync_Invalid_RefusedNothingRevoked(ResidentChange change, string code)
    {
        await IssueBothAsync();
        await _h.AddResidentAsync("OTHER");

        var outcome = await _h.Changes.ApplyAsync(change, _h.Clerk, default);

        Assert.Equal(code, outcome.Code);
        Assert.All(_h.Issuer.Records, r => Assert.Null(r.Revocation));
        Assert.Empty(await _h.Store.ListChangesAsync("R1", default));
    }

    private async Task<Fakes.FakeCard> IssueBothAsync()
    {
        var card = await _h.AddResidentAsync("R1");
        Assert.True((await _h.IssueAsync(card, CounterHarness.Request("R1"))).IsAllowed);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        return card;
    }
}

/// <summary>The workflow on the embedded SQLite store.</summary>
public sealed class SqliteRegistryChangeTests() : RegistryChangeTests(new CounterHarness());

/// <summary>The workflow on PostgreSQL.</summary>
[Collection(Jpki.Municipality.Tests.Storage.PostgresCollection.Name)]
public sealed class PostgresRegistryChangeTests(Jpki.Testing.PostgresServer server)
    : RegistryChangeTests(new CounterHarness(async () => Jpki.Municipality.Storage.CounterStores.OpenPostgres(await server.CreateSchemaAsync())));
