using Jpki.Authority.Contracts;
using Jpki.Core.Identity;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Microsoft.Extensions.Logging;

namespace Jpki.Server.Counter;

/// <summary>
/// What the API and the pages share: opening the chosen card around a workflow, turning typed PINs into
/// <see cref="SecretPin"/>s that are disposed after the call, the resident view with certificate dates, the daily close.
/// </summary>
internal sealed class CounterOperations(CounterWeb web, TimeProvider clock, ILoggerFactory loggers)
{
    public const string CardNotFound = "card-not-found";
    public const string BadRequest = "bad-request";
    public const string DayAlreadyClosed = CounterCodes.DayAlreadyClosed;

    public CounterWeb Web => web;

    public async Task<CounterJson.ResidentDetail?> ResidentAsync(string id, CancellationToken cancellationToken)
    {
        var resident = await web.Store.FindResidentAsync(id, cancellationToken).ConfigureAwait(false);
        if (resident is null)
        {
            return null;
        }

        var cards = await web.Store.ListCardsAsync(id, cancellationToken).ConfigureAwait(false);
        var certificates = await web.Counter.CertificatesAsync(id, cancellationToken).ConfigureAwait(false);
        var issuances = await web.Counter.IssuancesAsync(id, cancellationToken).ConfigureAwait(false);
        return new CounterJson.ResidentDetail(
            CounterJson.Summary(resident),
            cards.Select(CounterJson.Card).ToList(),
            certificates.Select(View).ToList(),
            issuances.Select(w => new CounterJson.IssuanceView(
                Jpki.Authority.Contracts.WireNames.Of(w.Kind), StateName(w.State), w.Serial, w.CardId, w.CreatedAt, w.UpdatedAt, w.Attempts, w.LastError)).ToList());
    }

    /// <summary>The checks of an issuance before the PINs (<see cref="CounterService.PrepareAsync"/>) on the card in <paramref name="cardSlot"/>.</summary>
    public async Task<RuleOutcome<IssuancePlan>> PrepareAsync(string? cardSlot, IssuanceCheck check, CancellationToken cancellationToken)
    {
        var (card, refusal) = await OpenCardAsync<IssuancePlan>(cardSlot, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return refusal!.Value;
        }

        try
        {
            return await web.Counter.PrepareAsync(card, check, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(card).ConfigureAwait(false);
        }
    }

    /// <summary>The checks of a proxy's visit 2 before the PINs (<see cref="ProxyService.PrepareAsync"/>).</summary>
    public async Task<RuleOutcome<(ProxyInquiry Inquiry, IssuancePlan Plan)>> PrepareVisitAsync(string? cardSlot, string reference, bool proxyIdChecked, bool sign, bool auth, IReadOnlyDictionary<int, string>? choices, CancellationToken cancellationToken)
    {
        var (card, refusal) = await OpenCardAsync<(ProxyInquiry, IssuancePlan)>(cardSlot, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return refusal!.Value;
        }

        try
        {
            return await web.Proxy.PrepareAsync(card, reference, proxyIdChecked, sign, auth, choices, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(card).ConfigureAwait(false);
        }
    }

    public Task<RuleOutcome<IssuanceReceipt>> IssueAsync(StaffAccount staff, CounterJson.IssueBody body, CancellationToken cancellationToken) =>
        IssueOrRenewAsync(staff, body, renewal: false, cancellationToken);

    public Task<RuleOutcome<IssuanceReceipt>> RenewAsync(StaffAccount staff, CounterJson.IssueBody body, CancellationToken cancellationToken) =>
        IssueOrRenewAsync(staff, body, renewal: true, cancellationToken);

    private async Task<RuleOutcome<IssuanceReceipt>> IssueOrRenewAsync(StaffAccount staff, CounterJson.IssueBody body, bool renewal, CancellationToken cancellationToken)
    {
        var choices = CounterJson.Choices(body.SubstituteChoices);
        if (choices is null)
        {
            return RuleOutcome<IssuanceReceipt>.Refuse(BadRequest, "A substitute choice must be keyed by one character or U+XXXX.");
        }

        var (card, refusal) = await OpenCardAsync<IssuanceReceipt>(body.CardSlot, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return refusal!.Value;
        }

        using var cardPin = SecretPin.From(body.CardPin);
        using var sign = CounterJson.Pin(body.SignaturePassword);
        using var auth = CounterJson.Pin(body.AuthenticationPin);
        try
        {
            var request = new IssuanceRequest(body.ResidentId ?? string.Empty, body.IdentityChecked, cardPin, sign, auth, body.IncludeSignature, body.IncludeAuthentication, choices);
            return renewal
                ? await web.Counter.RenewAsync(staff, card, request, cancellationToken).ConfigureAwait(false)
                : await web.Counter.IssueAsync(staff, card, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(card).ConfigureAwait(false);
        }
    }

    public async Task<RuleOutcome<IssuanceReceipt>> CompleteProxyAsync(StaffAccount staff, CounterJson.ProxyVisitBody body, CancellationToken cancellationToken)
    {
        var choices = CounterJson.Choices(body.SubstituteChoices);
        if (choices is null)
        {
            return RuleOutcome<IssuanceReceipt>.Refuse(BadRequest, "A substitute choice must be keyed by one character or U+XXXX.");
        }

        if (body.SealIntact is not { } sealIntact)
        {
            // Saying nothing about the seal must not close the application for good.
            return RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.ProxySealNotStated, "State whether the concealing seal was intact (sealIntact true or false); nothing was closed.");
        }

        var (card, refusal) = await OpenCardAsync<IssuanceReceipt>(body.CardSlot, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return refusal!.Value;
        }

        using var cardPin = SecretPin.From(body.CardPin);
        using var sign = CounterJson.Pin(body.SignaturePassword);
        using var auth = CounterJson.Pin(body.AuthenticationPin);
        try
        {
            var visit = new ProxyVisit(body.Reference ?? string.Empty, body.ProxyIdChecked, sealIntact, cardPin, sign, auth, body.IncludeSignature, body.IncludeAuthentication, choices);
            return await web.Proxy.CompleteAsync(staff, card, visit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(card).ConfigureAwait(false);
        }
    }

    public async Task<RuleOutcome<Jpki.Core.Pins.PinKind>> ResetPinAsync(StaffAccount staff, CounterJson.PinResetBody body, CancellationToken cancellationToken)
    {
        var (card, refusal) = await OpenCardAsync<Jpki.Core.Pins.PinKind>(body.CardSlot, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return refusal!.Value;
        }

        using var pin = SecretPin.From(body.NewPin);
        try
        {
            return await web.Counter.ResetPinAsync(staff, card, new PinResetRequest(body.ResidentId ?? string.Empty, body.IdentityChecked, body.Kind, pin), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(card).ConfigureAwait(false);
        }
    }

    public async Task<RuleOutcome<Jpki.Core.Pins.PinKind>> UnblockWithPukAsync(StaffAccount staff, CounterJson.PinUnblockBody body, CancellationToken cancellationToken)
    {
        var (card, refusal) = await OpenCardAsync<Jpki.Core.Pins.PinKind>(body.CardSlot, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return refusal!.Value;
        }

        using var puk = SecretPin.From(body.Puk);
        using var pin = SecretPin.From(body.NewPin);
        try
        {
            return await web.Counter.UnblockWithPukAsync(staff, card, new PukUnblockRequest(body.ResidentId ?? string.Empty, body.IdentityChecked, body.Kind, puk, pin), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(card).ConfigureAwait(false);
        }
    }

    public async Task<CounterJson.DailyReportView> DailyReportAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var report = await web.Reports.BuildAsync(date, cancellationToken).ConfigureAwait(false);
        var closed = await web.Store.FindDayCloseAsync(date, cancellationToken).ConfigureAwait(false);
        return new CounterJson.DailyReportView(report.Date, report.Lines, report.CertificatesIssued, report.FeesYen, closed);
    }

    /// <summary>The daily close by a supervisor (<see cref="DayCloseService"/>). Refusals: <c>supervisor-required</c>, <c>day-in-future</c>, <c>day-already-closed</c>.</summary>
    public Task<RuleOutcome<DayClose>> CloseDayAsync(StaffAccount staff, DateOnly date, CancellationToken cancellationToken) =>
        new DayCloseService(web.Store, clock, loggers.CreateLogger<DayCloseService>()).CloseAsync(staff, date, cancellationToken);

    private static string StateName(IssuanceWorkflowState state) => state switch
    {
        IssuanceWorkflowState.Intended => "intended",
        IssuanceWorkflowState.Issued => "issued",
        IssuanceWorkflowState.Written => "written",
        IssuanceWorkflowState.Revoked => "revoked",
        IssuanceWorkflowState.Superseding => "superseding",
        IssuanceWorkflowState.Writing => "writing",
        _ => "not-issued",
    };

    private static CounterJson.CertificateView View(HolderCertificate h) => new(
        WireNames.Of(h.Certificate.Kind), h.Certificate.Serial.Hex, h.Certificate.CardId.Value, h.ExpiresOn, h.RenewalOpens,
        h.Standing switch { CertificateStanding.Revoked => "revoked", CertificateStanding.Expired => "expired", _ => "valid" },
        h.RenewableToday, h.Certificate.Revocation?.Reason.ToString());

    /// <summary>Opens the chosen card: <c>card-not-chosen</c> for an empty or missing slot, <c>card-not-found</c> when it is not there.</summary>
    private async Task<(ICounterCard? Card, RuleOutcome<T>? Refusal)> OpenCardAsync<T>(string? slot, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(slot))
        {
            return (null, RuleOutcome<T>.Refuse(CounterCodes.CardNotChosen, "No card was chosen (cardSlot is empty or missing)."));
        }

        var card = await web.Cards.OpenAsync(slot, cancellationToken).ConfigureAwait(false);
        return card is null ? (null, RuleOutcome<T>.Refuse(CardNotFound, "The chosen card is not there.")) : (card, null);
    }

    private static async ValueTask CloseAsync(ICounterCard card)
    {
        switch (card)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
