using System.Globalization;
using System.Text.Json;
using Jpki.Authority.Contracts.Wire;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Applications;

/// <summary>
/// The counter's workflows in person (JPKI-REFERENCE §10): issuance (new, renewal inside the window, re-issuance
/// after revocation), PIN reset and revocation on request. Every rule comes from <c>Jpki.Core.Rules</c>; every call,
/// refused or not, is journaled. Pure checks come first, then the card PIN, then the side effects, so a refusal never
/// leaves a half-written card.
/// </summary>
public sealed class CounterService
{
    private readonly ICounterStore _store;
    private readonly ICertificateIssuer _issuer;
    private readonly ICharsetMapper _charset;
    private readonly IOfficeHours _office;
    private readonly TimeProvider _clock;
    private readonly CounterJournal _journal;
    private readonly MunicipalityNames _names;
    private readonly IssuanceRecovery _recovery;

    /// <summary>
    /// Creates the service; <paramref name="names"/> (default <see cref="MunicipalityNames.Demo"/>) go into signature
    /// certificates; <paramref name="recovery"/> (default: one of its own) resolves issuances that stopped half-way —
    /// give the one the background worker runs, so that the two know which issuances are in progress.
    /// </summary>
    public CounterService(ICounterStore store, ICertificateIssuer issuer, ICharsetMapper charset, IOfficeHours office, TimeProvider clock, MunicipalityNames? names = null, IssuanceRecovery? recovery = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(charset);
        ArgumentNullException.ThrowIfNull(office);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _issuer = issuer;
        _charset = charset;
        _office = office;
        _clock = clock;
        _journal = new CounterJournal(store, clock, logger);
        _names = names ?? MunicipalityNames.Demo;
        _recovery = recovery ?? new IssuanceRecovery(store, issuer, clock, logger);
    }

    /// <summary>Test seam: awaited at each <see cref="IssuanceStep"/> of every certificate's workflow (null: nothing).</summary>
    internal Func<IssuanceStep, CertificateKind, CancellationToken, Task>? StepHook { get; init; }

    /// <summary>A resident's issue-then-write-card workflows, newest first (what happened to each certificate asked for).</summary>
    public Task<IReadOnlyList<IssuanceWorkflow>> IssuancesAsync(string residentId, CancellationToken cancellationToken, int limit = 20)
    {
        ArgumentNullException.ThrowIfNull(residentId);
        return _store.ListIssuancesAsync(residentId, limit, cancellationToken);
    }

    /// <summary>The mapped name and address with their substitutes and candidates, for the holder to choose.</summary>
    public async Task<RuleOutcome<SubstitutionPreview>> PreviewSubstitutionsAsync(string residentId, IReadOnlyDictionary<int, string>? choices, CancellationToken cancellationToken)
    {
        var resident = await _store.FindResidentAsync(residentId, cancellationToken).ConfigureAwait(false);
        return resident is null
            ? RuleOutcome<SubstitutionPreview>.Refuse(CounterCodes.ResidentNotFound, "No resident with that id is registered.")
            : RuleOutcome<SubstitutionPreview>.Allow(new SubstitutionPreview(_charset.Map(resident.Name, choices), _charset.Map(resident.Address, choices)));
    }

    /// <summary>
    /// Issues the requested certificates onto the presented card. Refusals (in this order): <c>office-closed</c>,
    /// <c>identity-not-checked</c>, <c>resident-not-found</c>, <c>resident-not-active</c>, <c>card-not-holders</c>,
    /// <c>card-not-active</c>, <c>nothing-requested</c>, <c>juki-card-issuance-ended</c>, <c>sign-under-15</c>,
    /// <c>sign-under-guardianship</c>, <c>renewal-too-early</c>, <c>card-expired</c>, <c>pin-*</c>,
    /// <c>charset-bad-choice</c>, <c>charset-unmappable</c>, <c>card-pin-wrong</c>, <c>card-pin-blocked</c>.
    /// </summary>
    /// <exception cref="Exception">A port (card, authority) failed; the failure is journaled and rethrown.</exception>
    public Task<RuleOutcome<IssuanceReceipt>> IssueAsync(StaffAccount staff, ICounterCard card, IssuanceRequest request, CancellationToken cancellationToken)
        => IssueAsync(staff, card, request, byProxy: false, cancellationToken);

    /// <summary>
    /// Renewal proper: the issuance workflow for a holder who has a valid certificate to renew. Refused
    /// <c>no-certificate</c> when the holder has none (that is a new issuance or a re-issuance); otherwise the refusals of
    /// <see cref="IssueAsync(StaffAccount, ICounterCard, IssuanceRequest, CancellationToken)"/>.
    /// </summary>
    public async Task<RuleOutcome<IssuanceReceipt>> RenewAsync(StaffAccount staff, ICounterCard card, IssuanceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HolderId.TryCreate(request.ResidentId, out var holder)
            && await _store.FindResidentAsync(request.ResidentId, cancellationToken).ConfigureAwait(false) is not null)
        {
            var now = _clock.GetUtcNow();
            var existing = await _issuer.FindByHolderAsync(holder, cancellationToken).ConfigureAwait(false);
            if (!existing.Any(c => c.IsLiveAt(now)))
            {
                return RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.NoCertificate, "Nothing to renew: the holder has no valid certificate (use issue).");
            }
        }

        return await IssueAsync(staff, card, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The holder's certificates at the authority, newest first, each judged now (standing, renewal window).</summary>
    public async Task<IReadOnlyList<HolderCertificate>> CertificatesAsync(string residentId, CancellationToken cancellationToken)
    {
        if (!HolderId.TryCreate(residentId, out var holder))
        {
            return [];
        }

        var now = _clock.GetUtcNow();
        var certificates = await _issuer.FindByHolderAsync(holder, cancellationToken).ConfigureAwait(false);
        return [.. certificates.Reverse().Select(c => HolderCertificate.At(c, now))];
    }

    /// <summary>
    /// Resets a PIN on the holder's card after an identity check (no card PIN is asked: it may be the forgotten one).
    /// Refusals: <c>office-closed</c>, <c>identity-not-checked</c>, <c>resident-not-found</c>,
    /// <c>resident-not-active</c>, <c>card-not-holders</c>, <c>card-not-active</c>, <c>pin-*</c>.
    /// </summary>
    public async Task<RuleOutcome<PinKind>> ResetPinAsync(StaffAccount staff, ICounterCard card, PinResetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(request);
        string? cardId = null;
        try
        {
            var outcome = await ResetCoreAsync(card, request, id => cardId = id, cancellationToken).ConfigureAwait(false);
            await _journal.RecordAsync(staff, CounterActions.PinReset, request.ResidentId, cardId, outcome.Code ?? JournalEntry.Ok, request.Kind.ToString(), 0, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await _journal.RecordAsync(staff, CounterActions.PinReset, request.ResidentId, cardId, JournalEntry.Failed, ex.GetType().Name, 0, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Unblocks the authentication PIN or the signature password of a next-generation card with the PUK the holder
    /// presents, and sets the new PIN — on the card, through RESET RETRY COUNTER, not the issuer channel (docs/card.md
    /// "PUK at the counter"). The photo ID is checked as for <see cref="ResetPinAsync"/>; no fee. Refusals:
    /// <c>puk-not-for-card-pin</c>, <c>office-closed</c>, <c>identity-not-checked</c>, <c>resident-not-found</c>,
    /// <c>resident-not-active</c>, <c>card-not-holders</c>, <c>card-not-active</c>, <c>card-has-no-puk</c> (today's RSA
    /// card), <c>puk-format</c>, <c>pin-*</c>, <c>puk-not-set</c>, <c>puk-wrong</c> (with the PUK's tries left in the
    /// refusal's data), <c>puk-blocked</c>. The last three leave the PIN blocked; <see cref="ResetPinAsync"/> stays open.
    /// </summary>
    /// <exception cref="Exception">The card failed; the failure is journaled and rethrown.</exception>
    public async Task<RuleOutcome<PinKind>> UnblockWithPukAsync(StaffAccount staff, ICounterCard card, PukUnblockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(request);
        string? cardId = null;
        try
        {
            var outcome = await UnblockCoreAsync(card, request, id => cardId = id, cancellationToken).ConfigureAwait(false);
            await _journal.RecordAsync(staff, CounterActions.PinUnblock, request.ResidentId, cardId, outcome.Code ?? JournalEntry.Ok, request.Kind.ToString(), 0, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await _journal.RecordAsync(staff, CounterActions.PinUnblock, request.ResidentId, cardId, JournalEntry.Failed, ex.GetType().Name, 0, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Revokes the holder's valid certificates of the requested kinds (reason unspecified). Refusals:
    /// <c>office-closed</c>, <c>supervisor-required</c>, <c>identity-not-checked</c>, <c>resident-not-found</c>,
    /// <c>nothing-requested</c>, <c>no-certificate</c>. Allowed: the revoked serials.
    /// </summary>
    public async Task<RuleOutcome<IReadOnlyList<string>>> RevokeOnRequestAsync(StaffAccount staff, RevocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await RevokeCoreAsync(staff, request, cancellationToken).ConfigureAwait(false);
        var details = outcome.IsAllowed ? "revoked " + string.Join(',', outcome.Value!) : string.Join(',', request.Kinds);
        await _journal.RecordAsync(staff, CounterActions.Revoke, request.ResidentId, null, outcome.Code ?? JournalEntry.Ok, details, 0, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    internal async Task<RuleOutcome<IssuanceReceipt>> IssueAsync(StaffAccount staff, ICounterCard card, IssuanceRequest request, bool byProxy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(request);
        var action = byProxy ? CounterActions.ProxyIssue : CounterActions.Issue;
        string? cardId = null;
        try
        {
            var outcome = await IssueCoreAsync(staff, card, request, byProxy, id => cardId = id, cancellationToken).ConfigureAwait(false);
            var details = outcome.IsAllowed
                ? string.Join(' ', outcome.Value!.Certificates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Kind}:{c.SerialHex}:{c.Mode}:{c.ExpiresOn:yyyy-MM-dd}")))
                : outcome.Message!;
            await _journal.RecordAsync(staff, action, request.ResidentId, cardId, outcome.Code ?? JournalEntry.Ok, details, outcome.Value?.TotalFeeYen ?? 0, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await _journal.RecordAsync(staff, action, request.ResidentId, cardId, JournalEntry.Failed, ex.GetType().Name, 0, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Everything about an issuance that can be decided before anyone types a PIN, in the order a clerk works:
    /// <c>office-closed</c>, <c>identity-not-checked</c>, <c>resident-not-found</c>, <c>resident-not-active</c>,
    /// <c>card-not-holders</c>, <c>card-not-active</c>, <c>card-pin-not-set</c> (a card that can tell: set the card PIN
    /// first), <c>nothing-requested</c>, <c>juki-card-issuance-ended</c>, <c>sign-under-15</c>,
    /// <c>sign-under-guardianship</c>, <c>renewal-too-early</c>, <c>card-expired</c>, <c>charset-bad-choice</c>,
    /// <c>charset-unmappable</c>, <c>name-too-long</c>, <c>address-too-long</c>. Changes nothing and is not journaled:
    /// the issuance itself checks all of it again.
    /// </summary>
    public async Task<RuleOutcome<IssuancePlan>> PrepareAsync(ICounterCard card, IssuanceCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(check);
        return await PlanAsync(card, check, _ => { }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Which certificates the issuance form should tick for <paramref name="residentId"/> (empty when unknown): a kind is
    /// suggested when the holder may have it and it can be issued today — none yet, revoked or expired, or valid inside
    /// the renewal window.
    /// </summary>
    public async Task<IReadOnlyList<KindSuggestion>> SuggestAsync(string residentId, CancellationToken cancellationToken)
    {
        var resident = await _store.FindResidentAsync(residentId, cancellationToken).ConfigureAwait(false);
        if (resident is null)
        {
            return [];
        }

        var now = _clock.GetUtcNow();
        var today = JapanTime.ToJapanDate(now);
        var existing = await _issuer.FindByHolderAsync(new HolderId(residentId), cancellationToken).ConfigureAwait(false);
        var result = new List<KindSuggestion>(2);
        foreach (var kind in new[] { CertificateKind.Signature, CertificateKind.Authentication })
        {
            var eligible = Eligibility.Check(kind, CardKind.MyNumberCard, resident.DateOfBirth, today, resident.UnderGuardianship);
            if (!eligible.IsAllowed)
            {
                result.Add(new KindSuggestion(kind, false, eligible.Code!));
                continue;
            }

            if (Current(existing, kind, now) is not { } current)
            {
                result.Add(new KindSuggestion(kind, true, existing.Any(c => c.Kind == kind) ? "reissue" : "new"));
                continue;
            }

            var expires = JapanTime.ToJapanDate(current.NotAfter);
            var window = RenewalWindow.For(expires, CertificateGenerations.Of(current));
            result.Add(window.Contains(today)
                ? new KindSuggestion(kind, true, "renewal", expires, window.Opens)
                : new KindSuggestion(kind, false, "renewal-too-early", expires, window.Opens));
        }

        return result;
    }

    private async Task<RuleOutcome<IssuancePlan>> PlanAsync(ICounterCard card, IssuanceCheck check, Action<string> seenCard, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var today = JapanTime.ToJapanDate(now);
        var (resident, cardInfo, refusal) = await PresentAsync(card, check.ResidentId, check.IdentityChecked, now, seenCard, cancellationToken).ConfigureAwait(false);
        if (refusal is { } r)
        {
            return Refuse<IssuancePlan>(r);
        }

        if (cardInfo!.CardPinSet == false)
        {
            return RuleOutcome<IssuancePlan>.Refuse(CounterCodes.CardPinNotSet, "The card has no card PIN yet: set it first (PIN reset of the card PIN, with photo ID).");
        }

        if (!check.IncludeSignature && !check.IncludeAuthentication)
        {
            return RuleOutcome<IssuancePlan>.Refuse(CounterCodes.NothingRequested, "Neither certificate was requested.");
        }

        var kinds = new List<CertificateKind>(2);
        if (check.IncludeAuthentication)
        {
            kinds.Add(CertificateKind.Authentication);
        }

        if (check.IncludeSignature)
        {
            kinds.Add(CertificateKind.Signature);
        }

        foreach (var kind in kinds)
        {
            var eligible = Eligibility.Check(kind, cardInfo.Kind, resident!.DateOfBirth, today, resident.UnderGuardianship);
            if (!eligible.IsAllowed)
            {
                return eligible.Refused<IssuancePlan>();
            }
        }

        var existing = await _issuer.FindByHolderAsync(new HolderId(resident!.Id), cancellationToken).ConfigureAwait(false);
        var plans = new List<PlannedCertificate>(2);
        DateOnly? authExpiry = Current(existing, CertificateKind.Authentication, now) is { } currentAuth ? JapanTime.ToJapanDate(currentAuth.NotAfter) : null;
        foreach (var kind in kinds)
        {
            var current = Current(existing, kind, now);
            DateOnly? previousExpiry = null;
            var mode = existing.Any(c => c.Kind == kind) ? IssuanceMode.Reissue : IssuanceMode.New;
            if (current is not null)
            {
                previousExpiry = JapanTime.ToJapanDate(current.NotAfter);
                var window = RenewalWindow.For(previousExpiry.Value, cardInfo.Generation).Check(today);
                if (!window.IsAllowed)
                {
                    return Refuse<IssuancePlan>(window.Refusal! with { Message = $"{Name(kind)}: {window.Message}" });
                }

                mode = IssuanceMode.Renewal;
            }

            var validity = CertificateValidity.Compute(
                kind, resident.DateOfBirth, today, cardInfo.ExpiresOn,
                kind == CertificateKind.Signature ? authExpiry : null, previousExpiry, cardInfo.Generation);
            if (!validity.IsAllowed)
            {
                return validity.Refused<IssuancePlan>();
            }

            if (kind == CertificateKind.Authentication)
            {
                authExpiry = validity.Value!.ExpiresOn;
            }

            var fee = Fees.For(cardInfo.Kind, today, cardInfo.ExpiresOn);
            plans.Add(new PlannedCertificate(kind, mode, validity.Value!, current?.Serial.Hex, fee.Yen, fee.Code));
        }

        MappedText? name = null;
        MappedText? address = null;
        if (check.IncludeSignature)
        {
            name = _charset.Map(resident.Name, check.SubstituteChoices);
            address = _charset.Map(resident.Address, check.SubstituteChoices);
            if (BadChoice(check.SubstituteChoices, name, address) is { } bad)
            {
                return RuleOutcome<IssuancePlan>.Refuse(CounterCodes.CharsetBadChoice, string.Create(CultureInfo.InvariantCulture, $"The chosen substitute for U+{bad:X4} is not one of its candidates."));
            }

            if (!name.IsComplete || !address.IsComplete)
            {
                return RuleOutcome<IssuancePlan>.Refuse(CounterCodes.CharsetUnmappable, "A character of the name or address has no substitute in the JPKI character set; the register entry must be checked (カナ表記).");
            }

            // Substitutes may be longer than the original (㈱ → （株）, a kana reading): the certificate must still carry them.
            if (BasicFourInfoLimits.LengthOf(name.Text) > BasicFourInfoLimits.NameMaxLength)
            {
                return RuleOutcome<IssuancePlan>.Refuse(CounterCodes.NameTooLong, $"The name in the certificate would have more than {BasicFourInfoLimits.NameMaxLength} characters.");
            }

            if (BasicFourInfoLimits.LengthOf(address.Text) > BasicFourInfoLimits.AddressMaxLength)
            {
                return RuleOutcome<IssuancePlan>.Refuse(CounterCodes.AddressTooLong, $"The address in the certificate would have more than {BasicFourInfoLimits.AddressMaxLength} characters.");
            }
        }

        return RuleOutcome<IssuancePlan>.Allow(new IssuancePlan(resident, cardInfo, plans, name, address));
    }

    private async Task<RuleOutcome<IssuanceReceipt>> IssueCoreAsync(StaffAccount staff, ICounterCard card, IssuanceRequest request, bool byProxy, Action<string> seenCard, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();

        // An earlier issuance for this resident that stopped half-way is resolved first (its certificate revoked), so it
        // does not count as the valid certificate of a renewal.
        // A workflow that stopped while writing the presented card is decided by what the card holds.
        var unresolved = await _recovery.ResolveResidentAsync(request.ResidentId, card, cancellationToken).ConfigureAwait(false);
        if (unresolved.FirstOrDefault(w => w.State == IssuanceWorkflowState.Writing && w.LastError?.StartsWith("card-needed", StringComparison.Ordinal) == true) is { } waiting)
        {
            return RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.IssuanceCardNeeded,
                $"An earlier issuance for this resident stopped while card {waiting.CardId} was being written, and that card cannot be read: present it (or report it lost) so that certificate {waiting.Serial} is completed or revoked.");
        }

        if (unresolved.Count > 0)
        {
            return RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.IssuanceUnresolved,
                "An earlier issuance for this resident stopped half-way and the authority cannot be reached to resolve it; try again shortly.");
        }

        var check = new IssuanceCheck(request.ResidentId, request.IdentityChecked, request.IncludeSignature, request.IncludeAuthentication, request.SubstituteChoices);
        var planned = await PlanAsync(card, check, seenCard, cancellationToken).ConfigureAwait(false);
        if (!planned.IsAllowed)
        {
            return planned.Refused<IssuanceReceipt>();
        }

        var plan = planned.Value!;
        var (resident, cardInfo, name, address) = (plan.Resident, plan.Card, plan.Name, plan.Address);
        var cardPinFormat = PinPolicy.For(PinKind.CardPin).Validate(new string(request.CardPin.Reveal()));
        if (!cardPinFormat.IsAllowed)
        {
            return cardPinFormat.Refused<IssuanceReceipt>();
        }

        Refusal? signRefusal = null;
        Refusal? authRefusal = null;
        using var signPin = request.IncludeSignature ? ValidatePin(PinKind.SignaturePassword, request.SignaturePassword, out signRefusal) : null;
        if (request.IncludeSignature && signPin is null)
        {
            return Refuse<IssuanceReceipt>(signRefusal!);
        }

        using var authPin = request.IncludeAuthentication ? ValidatePin(PinKind.AuthenticationPin, request.AuthenticationPin, out authRefusal) : null;
        if (request.IncludeAuthentication && authPin is null)
        {
            return Refuse<IssuanceReceipt>(authRefusal!);
        }

        var verified = await card.VerifyCardPinAsync(request.CardPin, cancellationToken).ConfigureAwait(false);
        if (!verified.Verified)
        {
            return verified.NotSet
                ? RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.CardPinNotSet, "The card has no card PIN yet: set it first (PIN reset of the card PIN, with photo ID).")
                : verified.Blocked
                ? RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.CardPinBlocked, "The card PIN is blocked; reset it first (PIN reset with photo ID).")
                : RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.CardPinWrong, string.Create(CultureInfo.InvariantCulture, $"The card PIN is wrong; {verified.RemainingTries} tries left."), new RefusalData { TriesLeft = verified.RemainingTries });
        }

        var lines = new List<ReceiptCertificate>(plan.Certificates.Count);
        foreach (var certificate in plan.Certificates)
        {
            var spki = await card.GenerateKeyPairAsync(certificate.Kind, cancellationToken).ConfigureAwait(false);
            var subject = certificate.Kind == CertificateKind.Signature
                ? new SignatureSubjectInfo(_names.Prefecture, _names.Municipality, name!.Text, name.Flags, address!.Text, address.Flags, resident.DateOfBirth, resident.Sex)
                : null;
            var previousSerial = certificate.PreviousSerial is { } previousHex ? CertificateSerial.Parse(previousHex) : (CertificateSerial?)null;
            var issuance = new CertificateIssuance(IssuanceRequestId.New(), certificate.Kind, spki, new CardId(cardInfo.CardId), new HolderId(resident.Id), JapanTime.ToJapanDate(certificate.Expiry.NotAfter), subject, previousSerial);
            var requestId = issuance.RequestId!.Value.Value;
            using var inProgress = _recovery.Track(requestId);

            // Issue-then-write-card, recorded: the intent (with the request, to send it again under the same id) before the
            // authority is asked, the serial once issued, written once on the card (IssuanceWorkflow).
            var workflow = new IssuanceWorkflow(requestId, certificate.Kind, resident.Id, cardInfo.CardId, staff.Id, IssuanceWorkflowState.Intended, null,
                JsonSerializer.Serialize(issuance.ToWire(), AuthorityJsonContext.Default.IssueBody), _clock.GetUtcNow(), _clock.GetUtcNow(), 0, null)
            {
                Supersedes = previousSerial?.Hex,
            };
            await _store.RecordIssuanceIntentAsync(workflow, cancellationToken).ConfigureAwait(false);
            AuthorityCertificate issued;
            try
            {
                issued = await _issuer.IssueAsync(issuance, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthorityRefusedException)
            {
                await _store.CompleteIssuanceAsync(requestId, IssuanceWorkflowState.Intended, IssuanceWorkflowState.NotIssued, _clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            // Any other failure (no answer even after the client's retries) leaves the intent open: the next attempt for
            // the resident or the worker sends it again under the same id and revokes what it answers.
            var marked = await _store.MarkIssuanceIssuedAsync(requestId, issued.Serial.Hex, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await StepAsync(IssuanceStep.Issued, certificate.Kind, cancellationToken).ConfigureAwait(false);

            // The writing mark, durable before the card is touched: from here on only the card can say whether the
            // certificate reached it (a process that dies now is resolved by reading the card back, IssuanceRecovery).
            // Either mark refused means another counter process resolved this workflow meanwhile (took it for one that
            // died, sent it again and revoked the certificate): the card is never written with it.
            if (!marked || !await _store.MarkIssuanceWritingAsync(requestId, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                return RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.IssuanceUnresolved, string.Create(CultureInfo.InvariantCulture,
                    $"Another counter process resolved this issuance while it was under way (certificate {issued.Serial.Hex} is not written to the card); issue again."));
            }

            var writing = workflow with { State = IssuanceWorkflowState.Writing, Serial = issued.Serial.Hex };
            var line = new ReceiptCertificate(certificate.Kind, issued.Serial.Hex, certificate.Expiry.ExpiresOn, certificate.Expiry.DecidedByCode, certificate.Expiry.RenewalWindow.Opens, certificate.Mode, certificate.PreviousSerial, certificate.FeeYen, certificate.FeeCode);
            await StepAsync(IssuanceStep.Writing, certificate.Kind, cancellationToken).ConfigureAwait(false);
            try
            {
                // The PIN first, the certificate last: a certificate on the card means its key and PIN are there too.
                await card.SetPinAsync(certificate.Kind == CertificateKind.Signature ? PinKind.SignaturePassword : PinKind.AuthenticationPin, certificate.Kind == CertificateKind.Signature ? signPin! : authPin!, cancellationToken).ConfigureAwait(false);
                await card.WriteCertificateAsync(certificate.Kind, issued.Der, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The card says whether the certificate is on it: if so the issuance is complete after all; if not, nobody
                // holds it and it is revoked now; if the card cannot be read (or the authority not reached), the workflow
                // stays open and the next attempt with the card, or the worker, resolves it.
                var resolved = await _recovery.ResolveAsync(writing, "card-write-failed", card, CancellationToken.None).ConfigureAwait(false);
                if (resolved.State is not (IssuanceWorkflowState.Written or IssuanceWorkflowState.Superseding))
                {
                    return RuleOutcome<IssuanceReceipt>.Refuse(CounterCodes.CardWriteFailed, CardWriteFailedMessage(certificate.Kind, issued.Serial.Hex, e, resolved, lines));
                }

                lines.Add(line);
                continue;
            }

            await StepAsync(IssuanceStep.Written, certificate.Kind, cancellationToken).ConfigureAwait(false);
            if (previousSerial is null)
            {
                await _store.CompleteIssuanceAsync(requestId, IssuanceWorkflowState.Writing, IssuanceWorkflowState.Written, _clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                // A renewal: the old certificate is revoked superseded as a recorded step — if the authority cannot be
                // reached now, or this process stops before it answers, the worker (or the resident's next visit) does it.
                await _store.CompleteIssuanceAsync(requestId, IssuanceWorkflowState.Writing, IssuanceWorkflowState.Superseding, _clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                await _recovery.SupersedeAsync(writing with { State = IssuanceWorkflowState.Superseding, RequestBody = null }, null, CancellationToken.None).ConfigureAwait(false);
            }

            lines.Add(line);
        }

        return RuleOutcome<IssuanceReceipt>.Allow(new IssuanceReceipt(
            resident.Id, cardInfo.CardId, now, lines,
            name?.Substitutions ?? [], address?.Substitutions ?? [], name?.Text, address?.Text, byProxy));
    }

    private Task StepAsync(IssuanceStep step, CertificateKind kind, CancellationToken cancellationToken) =>
        StepHook is { } hook ? hook(step, kind, cancellationToken) : Task.CompletedTask;

    private static string CardWriteFailedMessage(CertificateKind kind, string serial, Exception failure, IssuanceWorkflow resolved, List<ReceiptCertificate> written)
    {
        var what = kind == CertificateKind.Signature ? "signature" : "authentication";
        var message = resolved.State == IssuanceWorkflowState.Revoked
            ? $"Writing the {what} certificate onto the card failed ({failure.GetType().Name}); the card does not hold certificate {serial}, so it was revoked (unspecified): no certificate is live that the card does not hold. Issue again."
            : resolved.LastError?.StartsWith("card-needed", StringComparison.Ordinal) == true
            ? $"Writing the {what} certificate onto the card failed ({failure.GetType().Name}) and the card cannot be read back, so it is not known whether it holds certificate {serial}. Present the card again (or report it lost): the certificate is then completed or revoked."
            : $"Writing the {what} certificate onto the card failed ({failure.GetType().Name}); certificate {serial} could not be revoked yet (the authority is unreachable) and will be revoked automatically. Issue again once it is.";
        return written.Count == 0
            ? message
            : message + " Written before it and valid: " + string.Join(", ", written.Select(c => $"{(c.Kind == CertificateKind.Signature ? "signature" : "authentication")} {c.SerialHex}")) + ".";
    }

    private async Task<RuleOutcome<PinKind>> ResetCoreAsync(ICounterCard card, PinResetRequest request, Action<string> seenCard, CancellationToken cancellationToken)
    {
        var (_, _, refusal) = await PresentAsync(card, request.ResidentId, request.IdentityChecked, _clock.GetUtcNow(), seenCard, cancellationToken).ConfigureAwait(false);
        if (refusal is { } r)
        {
            return Refuse<PinKind>(r);
        }

        using var pin = ValidatePin(request.Kind, request.NewPin, out var pinRefusal);
        if (pin is null)
        {
            return Refuse<PinKind>(pinRefusal!);
        }

        await card.SetPinAsync(request.Kind, pin, cancellationToken).ConfigureAwait(false);
        return RuleOutcome<PinKind>.Allow(request.Kind);
    }

    private async Task<RuleOutcome<PinKind>> UnblockCoreAsync(ICounterCard card, PukUnblockRequest request, Action<string> seenCard, CancellationToken cancellationToken)
    {
        const string IssuerChannel = "Reset the PIN through the issuer channel instead (PIN reset, with the photo ID).";
        if (request.Kind is not (PinKind.AuthenticationPin or PinKind.SignaturePassword))
        {
            return RuleOutcome<PinKind>.Refuse(CounterCodes.PukNotForCardPin, "The PUK unblocks the authentication PIN and the signature password only; reset the card PIN with the PIN reset.");
        }

        var (_, info, refusal) = await PresentAsync(card, request.ResidentId, request.IdentityChecked, _clock.GetUtcNow(), seenCard, cancellationToken).ConfigureAwait(false);
        if (refusal is { } r)
        {
            return Refuse<PinKind>(r);
        }

        if (info!.Generation != CardGeneration.NextGeneration)
        {
            return RuleOutcome<PinKind>.Refuse(CounterCodes.CardHasNoPuk, "Today's card (RSA-2048) has no PUK. " + IssuerChannel);
        }

        var format = PukPolicy.CheckFormat(request.Puk.Reveal());
        if (!format.IsAllowed)
        {
            return format.Refused<PinKind>();
        }

        using var pin = ValidatePin(request.Kind, request.NewPin, out var pinRefusal);
        if (pin is null)
        {
            return Refuse<PinKind>(pinRefusal!);
        }

        var answer = await card.UnblockWithPukAsync(request.Kind, request.Puk, pin, cancellationToken).ConfigureAwait(false);
        return answer.Outcome switch
        {
            PukOutcome.Unblocked => RuleOutcome<PinKind>.Allow(request.Kind),
            PukOutcome.Wrong => RuleOutcome<PinKind>.Refuse(
                CounterCodes.PukWrong,
                string.Create(CultureInfo.InvariantCulture, $"The PUK is wrong; {answer.PukTriesLeft} PUK tries left. The PIN stays blocked."),
                new RefusalData { TriesLeft = answer.PukTriesLeft }),
            PukOutcome.Blocked => RuleOutcome<PinKind>.Refuse(
                CounterCodes.PukBlocked, "The card's PUK is blocked (too many wrong PUKs) and unblocks nothing any more. " + IssuerChannel, new RefusalData { TriesLeft = 0 }),
            PukOutcome.NotSet => RuleOutcome<PinKind>.Refuse(CounterCodes.PukNotSet, "This card was made without a PUK (it is optional). " + IssuerChannel),
            _ => RuleOutcome<PinKind>.Refuse(CounterCodes.CardHasNoPuk, "The card has no PUK. " + IssuerChannel),
        };
    }

    private async Task<RuleOutcome<IReadOnlyList<string>>> RevokeCoreAsync(StaffAccount staff, RevocationRequest request, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var open = _office.Check(now);
        if (!open.IsAllowed)
        {
            return open.Refused<IReadOnlyList<string>>();
        }

        if (request.ByThirdParty && staff.Role != StaffRole.Supervisor)
        {
            return RuleOutcome<IReadOnlyList<string>>.Refuse(CounterCodes.SupervisorRequired, "Revocation at a third party's request needs a supervisor.");
        }

        if (!request.IdentityChecked)
        {
            return RuleOutcome<IReadOnlyList<string>>.Refuse(CounterCodes.IdentityNotChecked, "Check the photo ID of the person asking first.");
        }

        if (await _store.FindResidentAsync(request.ResidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return RuleOutcome<IReadOnlyList<string>>.Refuse(CounterCodes.ResidentNotFound, "No resident with that id is registered.");
        }

        if (request.Kinds.Count == 0)
        {
            return RuleOutcome<IReadOnlyList<string>>.Refuse(CounterCodes.NothingRequested, "No certificate was named.");
        }

        var existing = await _issuer.FindByHolderAsync(new HolderId(request.ResidentId), cancellationToken).ConfigureAwait(false);
        var targets = existing.Where(c => request.Kinds.Contains(c.Kind) && c.IsLiveAt(now)).ToList();
        if (targets.Count == 0)
        {
            return RuleOutcome<IReadOnlyList<string>>.Refuse(CounterCodes.NoCertificate, "The holder has no valid certificate of that kind.");
        }

        var serials = new List<string>(targets.Count);
        foreach (var target in targets)
        {
            await _issuer.RevokeAsync(target.Serial, RevocationReason.Unspecified, cancellationToken).ConfigureAwait(false);
            serials.Add(target.Serial.Hex);
        }

        return RuleOutcome<IReadOnlyList<string>>.Allow(serials);
    }

    /// <summary>The checks shared by every workflow that handles the card: office, identity, resident, card ownership.</summary>
    private async Task<(Resident? Resident, CardInfo? Card, Refusal? Refusal)> PresentAsync(
        ICounterCard card, string residentId, bool identityChecked, DateTimeOffset now, Action<string> seenCard, CancellationToken cancellationToken)
    {
        var open = _office.Check(now);
        if (!open.IsAllowed)
        {
            return (null, null, open.Refusal);
        }

        if (!identityChecked)
        {
            return (null, null, new Refusal(CounterCodes.IdentityNotChecked, "Check the photo ID first."));
        }

        var resident = await _store.FindResidentAsync(residentId, cancellationToken).ConfigureAwait(false);
        if (resident is null)
        {
            return (null, null, new Refusal(CounterCodes.ResidentNotFound, "No resident with that id is registered."));
        }

        if (resident.Status != ResidentStatus.Active)
        {
            return (null, null, new Refusal(CounterCodes.ResidentNotActive, "The resident's record is not live (moved out or deceased)."));
        }

        var info = await card.ReadInfoAsync(cancellationToken).ConfigureAwait(false);
        seenCard(info.CardId);
        var registered = await _store.FindCardAsync(info.CardId, cancellationToken).ConfigureAwait(false);
        if (registered is null || registered.HolderId != resident.Id)
        {
            return (null, null, new Refusal(CounterCodes.CardNotHolders, "The presented card is not registered to this resident."));
        }

        if (registered.Status != CardStatus.Active)
        {
            return (null, null, new Refusal(CounterCodes.CardNotActive, "The presented card was reported lost or returned."));
        }

        return (resident, info, null);
    }

    private static SecretPin? ValidatePin(PinKind kind, SecretPin? pin, out Refusal? refusal)
    {
        var verdict = PinPolicy.For(kind).Validate(pin is null ? null : new string(pin.Reveal()));
        if (!verdict.IsAllowed)
        {
            refusal = verdict.Refusal;
            return null;
        }

        refusal = null;
        return SecretPin.From(verdict.Value);
    }

    private static int? BadChoice(IReadOnlyDictionary<int, string>? choices, MappedText name, MappedText address)
    {
        if (choices is null)
        {
            return null;
        }

        foreach (var (codePoint, chosen) in choices)
        {
            var substitution = name.Substitutions.Concat(address.Substitutions).FirstOrDefault(s => s.CodePoint == codePoint);
            // A character without candidates takes a kana reading from the holder: any reading in the set is a valid choice.
            if (substitution is not null && substitution.Candidates.Count > 0 && !substitution.Candidates.Contains(chosen, StringComparer.Ordinal))
            {
                return codePoint;
            }
        }

        return null;
    }

    private static AuthorityCertificate? Current(IReadOnlyList<AuthorityCertificate> records, CertificateKind kind, DateTimeOffset now) =>
        records.LastOrDefault(c => c.Kind == kind && c.IsLiveAt(now));

    private static string Name(CertificateKind kind) => kind == CertificateKind.Signature ? "Signature certificate" : "Authentication certificate";

    private static RuleOutcome<T> Refuse<T>(Refusal refusal) => RuleOutcome<T>.Refuse(refusal);

}
