using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Jpki.Authority.Contracts.Wire;
using Jpki.Core.Identity;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Applications;

/// <summary>
/// Resolves issue-then-write-card workflows (<see cref="IssuanceWorkflow"/>) that stopped half-way, exactly once: an
/// intent whose answer was never recorded is sent to the authority again with the same request id (the authority
/// answers the certificate it issued, or issues it now, or its recorded refusal — never a second certificate); a
/// certificate the card was never given is revoked with reason unspecified; one that stopped while the card was being
/// written is decided by reading the card back (on it: completed; not on it: revoked; card not at hand or unreadable: it
/// waits, and the clerk is told to present the card — never a guess); a renewal whose new certificate is on the card has
/// the certificate it renews revoked as superseded. The clerk sees it in the journal
/// (<see cref="CounterActions.IssueRecovered"/>) and in <see cref="CounterService.IssuancesAsync"/>.
/// </summary>
/// <remarks>
/// Who resolves: the issuance itself when the card write fails (at once); the next issuance for the same resident
/// (before it plans, so the revoked certificate no longer counts: no <c>renewal-too-early</c>); and the background worker
/// (<c>CounterRuntime.RunPendingRevocationsAsync</c>, at start and every round) for workflows untouched for the grace
/// period — an issuance in progress in another process is never cut short. Workflows in progress in this process are
/// skipped by all but their own issuance. State changes are conditional updates, so of two resolvers only one
/// completes a workflow and journals it; the authority's calls are idempotent (same request id; a second revocation
/// answers already-revoked).
/// </remarks>
public sealed class IssuanceRecovery
{
    private readonly ICounterStore _store;
    private readonly ICertificateIssuer _issuer;
    private readonly TimeProvider _clock;
    private readonly CounterJournal _journal;
    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Creates the recovery over the counter store and the authority.</summary>
    public IssuanceRecovery(ICounterStore store, ICertificateIssuer issuer, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _issuer = issuer;
        _clock = clock;
        _journal = new CounterJournal(store, clock, logger);
        _logger = logger;
    }

    /// <summary>
    /// Reaches a card by its number without a clerk (virtual card files), to resolve a workflow that stopped while its card
    /// was being written; null (default): such a workflow waits until the card is presented at the counter.
    /// </summary>
    public ICounterCardFinder? Cards { get; init; }

    /// <summary>How long a workflow must be untouched before the background worker resolves it. Default 2 minutes.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Resolves the open workflows untouched for <see cref="Grace"/> (not in progress here); returns how many are still open after it.</summary>
    public async Task<int> ResolveStaleAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var open = await _store.ListOpenIssuancesAsync(null, cancellationToken).ConfigureAwait(false);
        var left = 0;
        foreach (var workflow in open)
        {
            if (_inFlight.ContainsKey(workflow.RequestId) || now - workflow.UpdatedAt < Grace
                || (await ResolveAsync(workflow, "worker", null, cancellationToken).ConfigureAwait(false)).IsOpen)
            {
                left++;
            }
        }

        return left;
    }

    /// <summary>
    /// Resolves a resident's open workflows now (the next issuance for them), except those in progress in this process;
    /// returns those still open (the authority could not be reached, or a card that was being written is not at hand).
    /// </summary>
    public Task<IReadOnlyList<IssuanceWorkflow>> ResolveResidentAsync(string residentId, CancellationToken cancellationToken) =>
        ResolveResidentAsync(residentId, null, cancellationToken);

    /// <summary>
    /// Resolves a resident's open workflows now with <paramref name="presented"/> at hand (the card the clerk put in the
    /// reader: a workflow that stopped while writing that card is decided by what it holds); returns those still open.
    /// </summary>
    public async Task<IReadOnlyList<IssuanceWorkflow>> ResolveResidentAsync(string residentId, ICounterCard? presented, CancellationToken cancellationToken)
    {
        var open = await _store.ListOpenIssuancesAsync(residentId, cancellationToken).ConfigureAwait(false);
        var left = new List<IssuanceWorkflow>();
        foreach (var workflow in open)
        {
            if (_inFlight.ContainsKey(workflow.RequestId))
            {
                continue;
            }

            var resolved = await ResolveAsync(workflow, "next-attempt", presented, cancellationToken).ConfigureAwait(false);
            if (resolved.IsOpen)
            {
                left.Add(resolved);
            }
        }

        return left;
    }

    /// <summary>Marks <paramref name="requestId"/> as in progress in this process until the result is disposed.</summary>
    internal IDisposable Track(string requestId)
    {
        _inFlight[requestId] = 0;
        return new Tracking(_inFlight, requestId);
    }

    /// <summary>
    /// Resolves one open workflow; returns it in its new state — still open (with the attempt counted) when the authority
    /// could not be reached, or when it stopped while writing a card that is neither <paramref name="presented"/> nor
    /// reachable through <see cref="Cards"/>. Never throws for an authority or card failure.
    /// </summary>
    internal async Task<IssuanceWorkflow> ResolveAsync(IssuanceWorkflow workflow, string cause, ICounterCard? presented, CancellationToken cancellationToken)
    {
        var current = workflow;
        try
        {
            if (current.State == IssuanceWorkflowState.Intended)
            {
                var body = current.RequestBody is null ? null : JsonSerializer.Deserialize(current.RequestBody, AuthorityJsonContext.Default.IssueBody);
                CertificateIssuance? issuance = null;
                string? problem = "it is missing.";
                if (body is null || !CertificateIssuance.TryFromWire(body, out issuance, out problem))
                {
                    throw new InvalidOperationException("The recorded request cannot be sent again: " + problem);
                }

                AuthorityCertificate issued;
                try
                {
                    issued = await _issuer.IssueAsync(issuance!, cancellationToken).ConfigureAwait(false);
                }
                catch (AuthorityRefusedException e)
                {
                    // Refused (and the authority keeps that answer for the id): nothing was issued, nothing to revoke.
                    if (await _store.CompleteIssuanceAsync(current.RequestId, IssuanceWorkflowState.Intended, IssuanceWorkflowState.NotIssued, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                    {
                        await JournalAsync(current, string.Create(CultureInfo.InvariantCulture, $"{WireNames.Of(current.Kind)}: not issued (authority refused: {e.Code ?? "bad-request"}); {cause}"), cancellationToken).ConfigureAwait(false);
                    }

                    return current with { State = IssuanceWorkflowState.NotIssued, RequestBody = null };
                }

                await _store.MarkIssuanceIssuedAsync(current.RequestId, issued.Serial.Hex, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                current = current with { State = IssuanceWorkflowState.Issued, Serial = issued.Serial.Hex };
            }

            if (current.State == IssuanceWorkflowState.Superseding)
            {
                return await SupersedeAsync(current, cause, cancellationToken).ConfigureAwait(false);
            }

            if (current.State == IssuanceWorkflowState.Writing)
            {
                var onCard = await OnCardAsync(current, presented, cancellationToken).ConfigureAwait(false);
                if (onCard is null)
                {
                    // The card cannot be read: the certificate may be on it. Never guess — the clerk presents the card.
                    var waiting = $"card-needed: present card {current.CardId} (or report it lost) to tell whether certificate {current.Serial} reached it";
                    await _store.FailIssuanceAttemptAsync(current.RequestId, waiting, _clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                    if (_logger is not null)
                    {
                        Log.IssuanceWaitsForCard(_logger, current.Serial ?? "?", current.CardId, cause);
                    }

                    return current with { Attempts = current.Attempts + 1, LastError = waiting };
                }

                if (onCard.Value)
                {
                    return await CompleteOnCardAsync(current, cause, cancellationToken).ConfigureAwait(false);
                }
            }

            if (current.State is not (IssuanceWorkflowState.Issued or IssuanceWorkflowState.Writing))
            {
                return current;
            }

            var result = await _issuer.RevokeAsync(CertificateSerial.Parse(current.Serial!), RevocationReason.Unspecified, cancellationToken).ConfigureAwait(false);
            if (await _store.CompleteIssuanceAsync(current.RequestId, current.State, IssuanceWorkflowState.Revoked, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                var answer = result switch
                {
                    RevokeResult.Revoked => "revoked (unspecified)",
                    RevokeResult.AlreadyRevoked => "already revoked",
                    _ => "unknown at the authority",
                };
                var checkedCard = current.State == IssuanceWorkflowState.Writing ? "not on the card (read back)" : "not on the card (never written)";
                await JournalAsync(current, $"{WireNames.Of(current.Kind)}:{current.Serial}: {answer}, {checkedCard}; {cause}", cancellationToken).ConfigureAwait(false);
            }

            return current with { State = IssuanceWorkflowState.Revoked, RequestBody = null };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = e.GetType().Name + ": " + e.Message;
            await _store.FailIssuanceAttemptAsync(current.RequestId, error, _clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            return current with { Attempts = current.Attempts + 1, LastError = error };
        }
    }

    /// <summary>
    /// A renewal whose new certificate is on the card: revokes the certificate it renews (superseded) and completes the
    /// workflow as written; journaled as a recovery when <paramref name="cause"/> is given (not when the issuance does it
    /// itself at once). Returns the workflow still open, with the attempt counted, when the authority could not be reached.
    /// Never throws for an authority failure.
    /// </summary>
    internal async Task<IssuanceWorkflow> SupersedeAsync(IssuanceWorkflow workflow, string? cause, CancellationToken cancellationToken)
    {
        if (workflow.State != IssuanceWorkflowState.Superseding || workflow.Supersedes is null)
        {
            throw new ArgumentException("Only a renewal written on the card supersedes a certificate.", nameof(workflow));
        }

        try
        {
            var result = await _issuer.RevokeAsync(CertificateSerial.Parse(workflow.Supersedes), RevocationReason.Superseded, cancellationToken).ConfigureAwait(false);
            if (await _store.CompleteIssuanceAsync(workflow.RequestId, IssuanceWorkflowState.Superseding, IssuanceWorkflowState.Written, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false)
                && cause is not null)
            {
                var answer = result switch
                {
                    RevokeResult.Revoked => "revoked (superseded)",
                    RevokeResult.AlreadyRevoked => "already revoked",
                    _ => "unknown at the authority",
                };
                await JournalAsync(workflow, $"{WireNames.Of(workflow.Kind)}:{workflow.Supersedes}: {answer}, renewed by {workflow.Serial} on the card; {cause}", cancellationToken).ConfigureAwait(false);
            }

            return workflow with { State = IssuanceWorkflowState.Written };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = e.GetType().Name + ": " + e.Message;
            await _store.FailIssuanceAttemptAsync(workflow.RequestId, error, _clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            return workflow with { Attempts = workflow.Attempts + 1, LastError = error };
        }
    }

    /// <summary>
    /// Whether the certificate of a workflow that stopped while writing is on its card: the card's certificate EF holds a
    /// certificate with the workflow's serial and the public key the request carried. Null when it cannot be told: the card
    /// is neither presented nor reachable, or cannot be read. A card reported lost or returned counts as not holding it
    /// (nobody can be handed it any more).
    /// </summary>
    private async Task<bool?> OnCardAsync(IssuanceWorkflow workflow, ICounterCard? presented, CancellationToken cancellationToken)
    {
        ICounterCard? card = null;
        var owned = false;
        try
        {
            if (presented is not null
                && string.Equals((await presented.ReadInfoAsync(cancellationToken).ConfigureAwait(false)).CardId, workflow.CardId, StringComparison.Ordinal))
            {
                card = presented;
            }
            else if (Cards is not null)
            {
                card = await Cards.FindAsync(workflow.CardId, cancellationToken).ConfigureAwait(false);
                owned = card is not null;
            }

            if (card is null)
            {
                var registered = await _store.FindCardAsync(workflow.CardId, cancellationToken).ConfigureAwait(false);
                return registered is not null && registered.Status != Residents.CardStatus.Active ? false : null;
            }

            var der = await card.ReadCertificateAsync(workflow.Kind, cancellationToken).ConfigureAwait(false);
            return der is not null && Holds(der, workflow);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            if (owned)
            {
                (card as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>The certificate read from the card is the workflow's: same serial, same public key as requested.</summary>
    private static bool Holds(byte[] der, IssuanceWorkflow workflow)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            // The card answered, but what it holds is not a certificate (a write cut half-way): not this certificate.
            // Only a card that cannot be read leaves the question open.
            return false;
        }

        using var _ = certificate;
        if (workflow.Serial is null || CertificateSerial.FromBigEndian(certificate.SerialNumberBytes.Span) != CertificateSerial.Parse(workflow.Serial))
        {
            return false;
        }

        var body = workflow.RequestBody is null ? null : JsonSerializer.Deserialize(workflow.RequestBody, AuthorityJsonContext.Default.IssueBody);
        if (body?.SubjectPublicKeyInfo is not { } spki)
        {
            // The serial alone decides when the request is not kept (it is until the workflow completes).
            return true;
        }

        return CryptographicOperations.FixedTimeEquals(certificate.PublicKey.ExportSubjectPublicKeyInfo(), Convert.FromBase64String(spki));
    }

    /// <summary>The certificate is on the card: written, and for a renewal the certificate it renews is revoked superseded.</summary>
    private async Task<IssuanceWorkflow> CompleteOnCardAsync(IssuanceWorkflow workflow, string cause, CancellationToken cancellationToken)
    {
        var at = _clock.GetUtcNow();
        if (workflow.Supersedes is null)
        {
            if (await _store.CompleteIssuanceAsync(workflow.RequestId, IssuanceWorkflowState.Writing, IssuanceWorkflowState.Written, at, cancellationToken).ConfigureAwait(false))
            {
                await JournalAsync(workflow, $"{WireNames.Of(workflow.Kind)}:{workflow.Serial}: on the card (read back), completed as written; {cause}", cancellationToken).ConfigureAwait(false);
            }

            return workflow with { State = IssuanceWorkflowState.Written, RequestBody = null };
        }

        // A renewal: its journal entry comes with the superseded revocation (SupersedeAsync), once.
        await _store.CompleteIssuanceAsync(workflow.RequestId, IssuanceWorkflowState.Writing, IssuanceWorkflowState.Superseding, at, cancellationToken).ConfigureAwait(false);
        return await SupersedeAsync(workflow with { State = IssuanceWorkflowState.Superseding, RequestBody = null }, cause, cancellationToken).ConfigureAwait(false);
    }

    private Task JournalAsync(IssuanceWorkflow workflow, string details, CancellationToken cancellationToken) =>
        _journal.RecordAsync(new StaffAccount(workflow.StaffId, StaffRole.Clerk), CounterActions.IssueRecovered, workflow.ResidentId, workflow.CardId, Reports.JournalEntry.Ok, details, 0, cancellationToken);

    private sealed class Tracking(ConcurrentDictionary<string, byte> inFlight, string requestId) : IDisposable
    {
        public void Dispose() => inFlight.TryRemove(requestId, out _);
    }
}
