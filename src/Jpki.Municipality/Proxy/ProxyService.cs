using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Proxy;

/// <summary>
/// Issuance through a proxy (代理人) with the inquiry letter (照会書), JPKI-REFERENCE §10: visit 1 records the
/// request and creates the inquiry; visit 2 checks it and issues through <see cref="CounterService"/>. No same-day
/// issuance.
/// </summary>
public sealed class ProxyService
{
    /// <summary>Days from the letter's date to the answer deadline (ours; municipalities state their own).</summary>
    public const int AnswerPeriodDays = 30;

    private readonly ICounterStore _store;
    private readonly CounterService _counter;
    private readonly IOfficeHours _office;
    private readonly TimeProvider _clock;
    private readonly CounterJournal _journal;

    /// <summary>Creates the service.</summary>
    public ProxyService(ICounterStore store, CounterService counter, IOfficeHours office, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(office);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _counter = counter;
        _office = office;
        _clock = clock;
        _journal = new CounterJournal(store, clock, logger);
    }

    /// <summary>
    /// Visit 1: records the request and creates the inquiry addressed to the registered address. Refusals:
    /// <c>office-closed</c>, <c>identity-not-checked</c>, <c>proxy-documents-missing</c>, <c>resident-not-found</c>,
    /// <c>resident-not-active</c>.
    /// </summary>
    public async Task<RuleOutcome<ProxyInquiry>> RecordRequestAsync(StaffAccount staff, ProxyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await RecordCoreAsync(staff, request, cancellationToken).ConfigureAwait(false);
        await _journal.RecordAsync(staff, CounterActions.ProxyRequest, request.ResidentId, null, outcome.Code ?? JournalEntry.Ok, outcome.Value?.Reference ?? string.Empty, 0, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// Visit 2. Refusals before issuance: <c>office-closed</c>, <c>proxy-reference-invalid</c>,
    /// <c>proxy-reference-unknown</c>, <c>proxy-inquiry-closed</c>, <c>proxy-same-day</c>, <c>proxy-answer-late</c>,
    /// <c>identity-not-checked</c>, <c>proxy-address-changed</c>, <c>proxy-seal-broken</c> (closes the inquiry: a
    /// new request is needed); then every refusal of <see cref="CounterService.IssueAsync(StaffAccount, ICounterCard, IssuanceRequest, CancellationToken)"/>,
    /// which leaves the inquiry open. On success the inquiry is closed as completed.
    /// </summary>
    public async Task<RuleOutcome<IssuanceReceipt>> CompleteAsync(StaffAccount staff, ICounterCard card, ProxyVisit visit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(visit);
        var (inquiry, refusal) = await CheckVisitAsync(visit.Reference, visit.ProxyIdChecked, visit.SealIntact, cancellationToken).ConfigureAwait(false);
        if (refusal is { } r)
        {
            if (r.Code == CounterCodes.ProxySealBroken)
            {
                await _store.CloseInquiryAsync(inquiry!.Reference, InquiryStatus.Refused, r.Code, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            await _journal.RecordAsync(staff, CounterActions.ProxyIssue, inquiry?.ResidentId, null, r.Code, r.Message, 0, cancellationToken).ConfigureAwait(false);
            return RuleOutcome<IssuanceReceipt>.Refuse(r);
        }

        var request = new IssuanceRequest(
            inquiry!.ResidentId, IdentityChecked: true, visit.CardPin, visit.SignaturePassword, visit.AuthenticationPin,
            visit.IncludeSignature, visit.IncludeAuthentication, visit.SubstituteChoices);
        var outcome = await _counter.IssueAsync(staff, card, request, byProxy: true, cancellationToken).ConfigureAwait(false);
        if (outcome.IsAllowed)
        {
            await _store.CloseInquiryAsync(inquiry.Reference, InquiryStatus.Completed, JournalEntry.Ok, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>
    /// Visit 2 before anyone types a PIN: the inquiry checks of <see cref="CompleteAsync"/> (without the seal, which the
    /// clerk states on the form), then <see cref="CounterService.PrepareAsync"/> for the applicant and the card. Changes
    /// nothing and is not journaled.
    /// </summary>
    public async Task<RuleOutcome<(ProxyInquiry Inquiry, IssuancePlan Plan)>> PrepareAsync(ICounterCard card, string reference, bool proxyIdChecked, bool includeSignature, bool includeAuthentication, IReadOnlyDictionary<int, string>? choices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var (inquiry, refusal) = await CheckVisitAsync(reference, proxyIdChecked, sealIntact: true, cancellationToken).ConfigureAwait(false);
        if (refusal is { } r)
        {
            return RuleOutcome<(ProxyInquiry, IssuancePlan)>.Refuse(r);
        }

        var plan = await _counter.PrepareAsync(card, new IssuanceCheck(inquiry!.ResidentId, true, includeSignature, includeAuthentication, choices), cancellationToken).ConfigureAwait(false);
        return plan.IsAllowed
            ? RuleOutcome<(ProxyInquiry, IssuancePlan)>.Allow((inquiry, plan.Value!))
            : plan.Refused<(ProxyInquiry, IssuancePlan)>();
    }

    /// <summary>
    /// Visit 2 with a concealing seal the clerk found broken (stated explicitly, after a confirmation): the answer is
    /// refused and the inquiry closed (<c>proxy-seal-broken</c>); a new proxy request is needed. The inquiry checks of
    /// <see cref="CompleteAsync"/> come first: an unknown, closed or late inquiry is refused with its own code and left as it is.
    /// </summary>
    public async Task<RuleOutcome<ProxyInquiry>> RefuseBrokenSealAsync(StaffAccount staff, string reference, bool proxyIdChecked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var (inquiry, refusal) = await CheckVisitAsync(reference, proxyIdChecked, sealIntact: false, cancellationToken).ConfigureAwait(false);
        var (code, message) = refusal!;
        if (code == CounterCodes.ProxySealBroken)
        {
            await _store.CloseInquiryAsync(inquiry!.Reference, InquiryStatus.Refused, code, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        await _journal.RecordAsync(staff, CounterActions.ProxyIssue, inquiry?.ResidentId, null, code, message, 0, cancellationToken).ConfigureAwait(false);
        return code == CounterCodes.ProxySealBroken
            ? RuleOutcome<ProxyInquiry>.Allow(inquiry! with { Status = InquiryStatus.Refused, ClosedCode = code })
            : RuleOutcome<ProxyInquiry>.Refuse(refusal);
    }

    private async Task<RuleOutcome<ProxyInquiry>> RecordCoreAsync(StaffAccount staff, ProxyRequest request, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var open = _office.Check(now);
        if (!open.IsAllowed)
        {
            return open.Refused<ProxyInquiry>();
        }

        if (!request.ProxyIdChecked || string.IsNullOrWhiteSpace(request.ProxyName) || string.IsNullOrWhiteSpace(request.ProxyIdDocument))
        {
            return RuleOutcome<ProxyInquiry>.Refuse(CounterCodes.IdentityNotChecked, "Check the proxy's photo ID and record the proxy's name and the kind of ID.");
        }

        if (!request.ApplicationPresent || !request.PowerOfAttorneyPresent)
        {
            return RuleOutcome<ProxyInquiry>.Refuse(CounterCodes.ProxyDocumentsMissing, "The applicant's application and the power of attorney (委任状) are both needed.");
        }

        var resident = await _store.FindResidentAsync(request.ResidentId, cancellationToken).ConfigureAwait(false);
        if (resident is null)
        {
            return RuleOutcome<ProxyInquiry>.Refuse(CounterCodes.ResidentNotFound, "No resident with that id is registered.");
        }

        if (resident.Status != ResidentStatus.Active)
        {
            return RuleOutcome<ProxyInquiry>.Refuse(CounterCodes.ResidentNotActive, "The resident's record is not live (moved out or deceased).");
        }

        var today = JapanTime.ToJapanDate(now);
        var inquiry = new ProxyInquiry(
            InquiryReference.Create(), resident.Id, resident.Name, resident.Address, request.ProxyName, request.ProxyIdDocument,
            now, today, today.AddDays(AnswerPeriodDays), staff.Id);
        await _store.AddInquiryAsync(inquiry, cancellationToken).ConfigureAwait(false);
        return RuleOutcome<ProxyInquiry>.Allow(inquiry);
    }

    private async Task<(ProxyInquiry? Inquiry, Refusal? Refusal)> CheckVisitAsync(string typedReference, bool proxyIdChecked, bool sealIntact, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var today = JapanTime.ToJapanDate(now);
        var open = _office.Check(now);
        if (!open.IsAllowed)
        {
            return (null, open.Refusal);
        }

        var reference = InquiryReference.Normalise(typedReference);
        if (reference is null)
        {
            return (null, new Refusal(CounterCodes.ProxyReferenceInvalid, "The reference number is not valid (16 digits with a check digit); check it for typing errors."));
        }

        var inquiry = await _store.FindInquiryAsync(reference, cancellationToken).ConfigureAwait(false);
        if (inquiry is null)
        {
            return (null, new Refusal(CounterCodes.ProxyReferenceUnknown, "No inquiry has that reference number."));
        }

        if (inquiry.Status != InquiryStatus.Open)
        {
            return (inquiry, new Refusal(CounterCodes.ProxyInquiryClosed, "This inquiry was already used or refused; a new proxy request is needed."));
        }

        if (today <= inquiry.IssuedOn)
        {
            return (inquiry, new Refusal(CounterCodes.ProxySameDay, "No same-day issuance by proxy: the answer must come back after the letter has been mailed."));
        }

        if (today > inquiry.AnswerDeadline)
        {
            return (inquiry, new Refusal(CounterCodes.ProxyAnswerLate, $"The answer deadline was {inquiry.AnswerDeadline:yyyy-MM-dd}; a new proxy request is needed."));
        }

        if (!proxyIdChecked)
        {
            return (inquiry, new Refusal(CounterCodes.IdentityNotChecked, "Check the proxy's photo ID again."));
        }

        var resident = await _store.FindResidentAsync(inquiry.ResidentId, cancellationToken).ConfigureAwait(false);
        if (resident is null || resident.Address != inquiry.AddresseeAddress)
        {
            return (inquiry, new Refusal(CounterCodes.ProxyAddressChanged, "The applicant's registered address changed after the letter was mailed; a new proxy request is needed."));
        }

        if (!sealIntact)
        {
            return (inquiry, new Refusal(CounterCodes.ProxySealBroken, "The concealing seal over the PINs is not intact: the answer is refused and the inquiry closed; a new proxy request is needed."));
        }

        return (inquiry, null);
    }
}
