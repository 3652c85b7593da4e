using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Tests;

/// <summary>
/// The counter's other workflows against the real authority, over both wirings (in process and over HTTP): revocation
/// on the holder's request then re-issuance at once, PIN reset, card loss, proxy issuance with the 照会書 — each checked
/// in the authority's registry, not only in the counter's answer.
/// </summary>
public abstract partial class EndToEndTests
{
    [Fact]
    public async Task RevokeOnRequest_ThenReissue_OldRevokedUnspecified_NewLiveOnTheCard()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var first = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default);
        Assert.True(first.IsAllowed, first.Message);

        var revoked = await _counter.RevokeOnRequestAsync(_h.Clerk, new RevocationRequest("R1", true, [CertificateKind.Authentication]), default);

        Assert.True(revoked.IsAllowed, revoked.Message);
        var oldAuth = first.Value!.Certificates.Single(c => c.Kind == CertificateKind.Authentication).SerialHex;
        Assert.Equal([oldAuth], revoked.Value!);
        Assert.Equal(RevocationReason.Unspecified, (await _registry.FindBySerialAsync(oldAuth, default))!.Revocation?.Reason);
        Assert.Equal("no-certificate", (await _counter.RevokeOnRequestAsync(_h.Clerk, new RevocationRequest("R1", true, [CertificateKind.Authentication]), default)).Code);

        var again = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);

        Assert.True(again.IsAllowed, again.Message);
        var line = Assert.Single(again.Value!.Certificates);
        Assert.Equal(IssuanceMode.Reissue, line.Mode);
        var live = Assert.Single(await _registry.FindByHolderAsync("R1", default), r => r.Revocation is null && r.Kind == CertificateKind.Authentication);
        Assert.Equal(line.SerialHex, live.SerialHex);
        Assert.Equal(live.Der.ToArray(), card.Certificates[CertificateKind.Authentication]);
    }

    [Fact]
    public async Task PinReset_SetsTheNewPinOnTheCard_CertificatesUntouchedAtTheAuthority()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        Assert.True((await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default)).IsAllowed);

        var reset = await _counter.ResetPinAsync(_h.Clerk, card, new PinResetRequest("R1", true, PinKind.AuthenticationPin, SecretPin.From("2468")), default);

        Assert.True(reset.IsAllowed, reset.Message);
        Assert.True(card.HasPin(PinKind.AuthenticationPin, "2468"));
        Assert.All(await _registry.FindByHolderAsync("R1", default), r => Assert.Null(r.Revocation));
        Assert.Equal("identity-not-checked", (await _counter.ResetPinAsync(_h.Clerk, card, new PinResetRequest("R1", false, PinKind.AuthenticationPin, SecretPin.From("1357")), default)).Code);
    }

    [Fact]
    public async Task CardLoss_BothCertificatesRevokedKeyCompromise_CardNoLongerUsable()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        Assert.True((await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default)).IsAllowed);

        var lost = await _changes.ApplyAsync(new ResidentChange(ResidentChangeKind.CardLoss, "R1", CardId: card.Info.CardId), _h.Clerk, default);

        Assert.True(lost.IsAllowed && lost.Value!.AllRevocationsDone, lost.Message);
        var all = await _registry.FindByHolderAsync("R1", default);
        Assert.Equal(2, all.Count);
        Assert.All(all, r => Assert.Equal(RevocationReason.KeyCompromise, r.Revocation?.Reason));
        Assert.Equal("card-not-active", (await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default)).Code);
    }

    [Fact]
    public async Task ProxyIssuance_InquiryThenSecondVisit_IssuedByProxy_LiveAtTheAuthority()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var proxy = new ProxyService(_h.Store, _counter, new OfficeCalendarHours(), _h.Clock);
        var inquiry = await proxy.RecordRequestAsync(_h.Clerk, new ProxyRequest("R1", "代理　次郎", "運転免許証", true, true, true), default);
        Assert.True(inquiry.IsAllowed, inquiry.Message);
        var visit = new ProxyVisit(inquiry.Value!.Reference, true, true, SecretPin.From("1234"), SecretPin.From("PW1234"), SecretPin.From("9876"));
        Assert.Equal("proxy-same-day", (await proxy.CompleteAsync(_h.Clerk, card, visit, default)).Code);
        Assert.Empty(await _registry.FindByHolderAsync("R1", default));

        _h.Clock.Advance(TimeSpan.FromDays(1));
        var issued = await proxy.CompleteAsync(_h.Clerk, card, visit, default);

        Assert.True(issued.IsAllowed, issued.Message);
        Assert.True(issued.Value!.ByProxy);
        var atAuthority = await _registry.FindByHolderAsync("R1", default);
        Assert.Equal(
            issued.Value.Certificates.Select(c => c.SerialHex).Order(StringComparer.Ordinal),
            atAuthority.Where(r => r.Revocation is null).Select(r => r.SerialHex).Order(StringComparer.Ordinal));
        Assert.Equal("proxy-inquiry-closed", (await proxy.CompleteAsync(_h.Clerk, card, visit, default)).Code);
    }
}
