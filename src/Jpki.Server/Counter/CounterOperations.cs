using Jpki.Authority.Contracts;
using Jpki.Core.Identity;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;

namespace Jpki.Server.Counter;

/// <summary>
/// What the API and the pages share: opening the chosen card around a workflow, turning typed PINs into
/// <see cref="SecretPin"/>s that are disposed after the call, the resident view with certificate dates, the daily close.
/// </summary>
internal sealed class CounterOperations(CounterWeb web, TimeProvider clock)
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
        return new CounterJson.ResidentDetail(
            CounterJson.Summary(resident),
            cards.Select(CounterJson.Card).ToList(),
            certificates.Select(View).ToList());
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

        var card = await web.Cards.OpenAsync(body.CardSlot ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return RuleOutcome<IssuanceReceipt>.Refuse(CardNotFound, "The chosen card is not there.");
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

        var card = await web.Cards.OpenAsync(body.CardSlot ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return RuleOutcome<IssuanceReceipt>.Refuse(CardNotFound, "The chosen card is not there.");
        }

        using var cardPin = SecretPin.From(body.CardPin);
        using var sign = CounterJson.Pin(body.SignaturePassword);
        using var auth = CounterJson.Pin(body.AuthenticationPin);
        try
        {
            var visit = new ProxyVisit(body.Reference ?? string.Empty, body.ProxyIdChecked, body.SealIntact, cardPin, sign, auth, body.IncludeSignature, body.IncludeAuthentication, choices);
            return await web.Proxy.CompleteAsync(staff, card, visit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync(card).ConfigureAwait(false);
        }
    }

    public async Task<RuleOutcome<Jpki.Core.Pins.PinKind>> ResetPinAsync(StaffAccount staff, CounterJson.PinResetBody body, CancellationToken cancellationToken)
    {
        var card = await web.Cards.OpenAsync(body.CardSlot ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return RuleOutcome<Jpki.Core.Pins.PinKind>.Refuse(CardNotFound, "The chosen card is not there.");
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

    public async Task<CounterJson.DailyReportView> DailyReportAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var report = await web.Reports.BuildAsync(date, cancellationToken).ConfigureAwait(false);
        var closed = await web.Store.FindDayCloseAsync(date, cancellationToken).ConfigureAwait(false);
        return new CounterJson.DailyReportView(report.Date, report.Lines, report.CertificatesIssued, report.FeesYen, closed);
    }

    /// <summary>The daily close by a supervisor (the policy is checked by the endpoint; the role again in <see cref="DailyClose"/>).</summary>
    public Task<RuleOutcome<DayClose>> CloseDayAsync(StaffAccount staff, DateOnly date, CancellationToken cancellationToken) =>
        new DailyClose(web.Store, clock).CloseAsync(staff, date, cancellationToken);

    private static CounterJson.CertificateView View(HolderCertificate h) => new(
        WireNames.Of(h.Certificate.Kind), h.Certificate.Serial.Hex, h.Certificate.CardId.Value, h.ExpiresOn, h.RenewalOpens,
        h.Standing switch { CertificateStanding.Revoked => "revoked", CertificateStanding.Expired => "expired", _ => "valid" },
        h.RenewableToday, h.Certificate.Revocation?.Reason.ToString());

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
