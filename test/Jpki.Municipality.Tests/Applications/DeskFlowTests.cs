using Jpki.Core.Identity;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Tests.Applications;

/// <summary>The desk flow in the clerk's order: refusals before PINs, sensible defaults, explicit seal statements, sealed days.</summary>
public sealed class DeskFlowTests : IAsyncLifetime
{
    private readonly CounterHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Prepare_OfficeClosed_RefusedBeforeAnyPin()
    {
        var card = await _h.AddResidentAsync("R1");
        _h.Clock.Advance(TimeSpan.FromHours(8)); // 18:00

        var plan = await _h.Counter.PrepareAsync(card, new IssuanceCheck("R1", true), default);

        Assert.Equal("office-closed", plan.Code);
        Assert.Empty(await _h.JournalAsync()); // a check, not an application
    }

    [Fact]
    public async Task Prepare_Under15WithSignature_RefusedBeforeAnyPin_AuthOnlyPlanned()
    {
        var card = await _h.AddResidentAsync("R1", birth: _h.Today.AddYears(-14));

        Assert.Equal("sign-under-15", (await _h.Counter.PrepareAsync(card, new IssuanceCheck("R1", true), default)).Code);
        var auth = await _h.Counter.PrepareAsync(card, new IssuanceCheck("R1", true, IncludeSignature: false), default);
        Assert.Equal(CertificateKind.Authentication, Assert.Single(auth.Value!.Certificates).Kind);
        var suggestions = await _h.Counter.SuggestAsync("R1", default);
        Assert.Equal([(CertificateKind.Signature, false, "sign-under-15"), (CertificateKind.Authentication, true, "new")], suggestions.Select(s => (s.Kind, s.Suggested, s.Reason)));
    }

    [Fact]
    public async Task Suggest_AfterAMove_OnlyTheRevokedSignatureCertificate()
    {
        var card = await _h.AddResidentAsync("R1");
        Assert.True((await _h.IssueAsync(card, CounterHarness.Request("R1"))).IsAllowed);
        await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都千代田区丸の内１－１"), _h.Clerk, default);

        var suggestions = await _h.Counter.SuggestAsync("R1", default);

        Assert.Equal((true, "reissue"), suggestions.Where(s => s.Kind == CertificateKind.Signature).Select(s => (s.Suggested, s.Reason)).Single());
        var auth = suggestions.Single(s => s.Kind == CertificateKind.Authentication);
        Assert.Equal((false, "renewal-too-early"), (auth.Suggested, auth.Reason));
        Assert.NotNull(auth.RenewalOpens);
        var plan = await _h.Counter.PrepareAsync(card, new IssuanceCheck("R1", true, IncludeSignature: true, IncludeAuthentication: false), default);
        Assert.Equal(IssuanceMode.Reissue, Assert.Single(plan.Value!.Certificates).Mode);
    }

    [Fact]
    public async Task Prepare_CardWithoutCardPin_RefusedWithItsOwnCode()
    {
        var card = await _h.AddResidentAsync("R1");
        card.Info = card.Info with { CardPinSet = false };

        Assert.Equal(CounterCodes.CardPinNotSet, (await _h.Counter.PrepareAsync(card, new IssuanceCheck("R1", true), default)).Code);
        Assert.Equal(CounterCodes.CardPinNotSet, (await _h.IssueAsync(card, CounterHarness.Request("R1"))).Code);
        Assert.Equal(0, card.Writes);
    }

    [Fact]
    public async Task NameChange_WithoutNewKana_Refused_WithKanaApplied()
    {
        await _h.AddResidentAsync("R1");

        var refused = await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.NameChange, "R1", NewName: "佐藤　太郎"), _h.Clerk, default);
        Assert.Equal(CounterCodes.KanaRequired, refused.Code);
        Assert.Equal("山田　太郎", (await _h.Store.FindResidentAsync("R1", default))!.Name);

        var done = await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.NameChange, "R1", NewName: "佐藤　太郎", NewNameKana: "サトウ　タロウ"), _h.Clerk, default);
        Assert.True(done.IsAllowed);
        Assert.Equal("サトウ　タロウ", (await _h.Store.FindResidentAsync("R1", default))!.NameKana);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Move_FiveThousandCharacterAddress_Refused()
    {
        await _h.AddResidentAsync("R1");

        var outcome = await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: new string('東', 5_000)), _h.Clerk, default);

        Assert.Equal(CounterCodes.AddressTooLong, outcome.Code);
    }

    [Fact]
    public async Task RegisterCard_AnotherResidentsCard_Refused()
    {
        await _h.AddResidentAsync("R1");
        await _h.AddResidentAsync("R2");

        var outcome = await _h.Registry.RegisterCardAsync(new ResidentCard("C-R1", "R2", CardKind.MyNumberCard, new DateOnly(2035, 1, 1)), _h.Clerk, default);

        Assert.Equal(CounterCodes.CardRegisteredToOther, outcome.Code);
        Assert.Equal("R1", (await _h.Store.FindCardAsync("C-R1", default))!.HolderId);
    }

    [Fact]
    public async Task ProxyVisit_SealCheckedBeforePins_BrokenSealClosesOnlyWhenStated()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, new ProxyRequest("R1", "山田　花子", "運転免許証", true, true, true), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromDays(1));

        var prepared = await _h.Proxy.PrepareAsync(card, inquiry.Reference, true, true, true, null, default);
        Assert.True(prepared.IsAllowed, prepared.Message);
        Assert.Equal(InquiryStatus.Open, (await _h.Store.FindInquiryAsync(inquiry.Reference, default))!.Status);

        var broken = await _h.Proxy.RefuseBrokenSealAsync(_h.Clerk, inquiry.Reference, true, default);
        Assert.True(broken.IsAllowed);
        Assert.Equal((InquiryStatus.Refused, "proxy-seal-broken"), ((await _h.Store.FindInquiryAsync(inquiry.Reference, default))!.Status, (await _h.Store.FindInquiryAsync(inquiry.Reference, default))!.ClosedCode));
        Assert.Equal("proxy-inquiry-closed", (await _h.Proxy.RefuseBrokenSealAsync(_h.Clerk, inquiry.Reference, true, default)).Code);
    }

    [Fact]
    public async Task DayClose_SupervisorOnce_NotTheFuture_ReportNeverChanges()
    {
        var card = await _h.AddResidentAsync("R1");
        Assert.True((await _h.IssueAsync(card, CounterHarness.Request("R1"))).IsAllowed);
        var close = new DayCloseService(_h.Store, _h.Clock);

        Assert.Equal(CounterCodes.SupervisorRequired, (await close.CloseAsync(_h.Clerk, _h.Today, default)).Code);
        Assert.Equal(DayCloseService.DayInFuture, (await close.CloseAsync(_h.Supervisor, _h.Today.AddDays(1), default)).Code);
        var closed = await close.CloseAsync(_h.Supervisor, _h.Today, default);
        Assert.Equal(2, closed.Value!.CertificatesIssued);
        Assert.Equal(DayCloseService.DayAlreadyClosed, (await close.CloseAsync(_h.Supervisor, _h.Today, default)).Code);

        // After the close, on the same afternoon: a revocation and a second holder's issuance count for tomorrow.
        var card2 = await _h.AddResidentAsync("R2");
        Assert.True((await _h.IssueAsync(card2, CounterHarness.Request("R2"))).IsAllowed);
        var reports = new DailyReportBuilder(_h.Store);
        Assert.Equal(2, (await reports.BuildAsync(_h.Today, default)).CertificatesIssued);
        Assert.Equal(2, (await reports.BuildAsync(_h.Today.AddDays(1), default)).CertificatesIssued);
        Assert.True((await _h.Store.VerifyJournalAsync(default)).Intact);
    }
}
