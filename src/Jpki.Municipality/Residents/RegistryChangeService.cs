using System.Globalization;
using Jpki.Core.Identity;
using Jpki.Core.Rules;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Residents;

/// <summary>
/// Registry changes (異動) as events, with the revocations they cause (<see cref="RevocationPolicy"/>).
/// </summary>
/// <remarks>
/// "Nothing lost": the updated record, the event and one <see cref="RevocationTask"/> per certificate kind are written
/// in one transaction <b>before</b> the authority is called; then the tasks are carried out at once, in the same call.
/// If the authority fails, the task stays pending with the error and is retried by <see cref="RetryPendingAsync"/>
/// (a host runs it on a timer and at start). Carrying out a task is idempotent: it revokes the holder's unrevoked,
/// unexpired certificates of that kind issued up to the event, and a second revocation changes nothing.
/// </remarks>
public sealed class RegistryChangeService
{
    private readonly ICounterStore _store;
    private readonly ICertificateIssuer _issuer;
    private readonly TimeProvider _clock;
    private readonly CounterJournal _journal;

    /// <summary>Creates the service.</summary>
    public RegistryChangeService(ICounterStore store, ICertificateIssuer issuer, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _issuer = issuer;
        _clock = clock;
        _journal = new CounterJournal(store, clock, logger);
    }

    /// <summary>
    /// Applies a change: updates the record, records the event and revokes. Refusals: <c>resident-not-found</c>,
    /// <c>resident-not-active</c>, <c>change-invalid</c>, <c>address-too-long</c>, <c>name-too-long</c>,
    /// <c>kana-required</c> (a name change without the new reading), <c>kana-too-long</c>, <c>card-not-holders</c>
    /// (card loss of a card that is not the resident's).
    /// </summary>
    public async Task<RuleOutcome<ResidentChangeResult>> ApplyAsync(ResidentChange change, StaffAccount staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(staff);
        var outcome = await ApplyCoreAsync(change, staff, cancellationToken).ConfigureAwait(false);
        var details = outcome.IsAllowed
            ? string.Create(CultureInfo.InvariantCulture, $"{change.Kind}: {outcome.Value!.Change.Summary}; revocations {(outcome.Value.AllRevocationsDone ? "done" : "pending")}")
            : change.Kind.ToString();
        await _journal.RecordAsync(staff, CounterActions.RegistryChange, change.ResidentId, change.CardId, outcome.Code ?? JournalEntry.Ok, details, 0, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Carries out every pending revocation task once; returns how many are still pending.</summary>
    public async Task<int> RetryPendingAsync(CancellationToken cancellationToken)
    {
        var pending = await _store.ListPendingTasksAsync(cancellationToken).ConfigureAwait(false);
        var left = 0;
        foreach (var task in pending)
        {
            if ((await ExecuteAsync(task, cancellationToken).ConfigureAwait(false)).Status == RevocationTaskStatus.Pending)
            {
                left++;
            }
        }

        return left;
    }

    private async Task<RuleOutcome<ResidentChangeResult>> ApplyCoreAsync(ResidentChange change, StaffAccount staff, CancellationToken cancellationToken)
    {
        var resident = await _store.FindResidentAsync(change.ResidentId, cancellationToken).ConfigureAwait(false);
        if (resident is null)
        {
            return RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.ResidentNotFound, "No resident with that id is registered.");
        }

        var liveNeeded = change.Kind != ResidentChangeKind.MoveIn;
        if (liveNeeded && resident.Status != ResidentStatus.Active)
        {
            return RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.ResidentNotActive, "The resident's record is not live (moved out or deceased).");
        }

        ResidentCard? cardUpdate = null;
        Resident updated;
        string summary;
        switch (change.Kind)
        {
            case ResidentChangeKind.MoveWithin or ResidentChangeKind.MoveIn or ResidentChangeKind.MoveOut:
                if (string.IsNullOrWhiteSpace(change.NewAddress) || (change.Kind != ResidentChangeKind.MoveOut && change.NewAddress == resident.Address))
                {
                    return Invalid("A move needs the new address, different from the registered one.");
                }

                if (change.Kind != ResidentChangeKind.MoveOut && BasicFourInfoLimits.LengthOf(change.NewAddress) > BasicFourInfoLimits.AddressMaxLength)
                {
                    return RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.AddressTooLong, $"The address has more than {BasicFourInfoLimits.AddressMaxLength} characters, more than a certificate carries.");
                }

                updated = change.Kind == ResidentChangeKind.MoveOut
                    ? resident with { Status = ResidentStatus.MovedOut }
                    : resident with { Address = change.NewAddress, Status = ResidentStatus.Active };
                summary = "address";
                break;
            case ResidentChangeKind.NameChange:
                if (string.IsNullOrWhiteSpace(change.NewName) || change.NewName == resident.Name)
                {
                    return Invalid("A name change needs the new name, different from the registered one.");
                }

                if (BasicFourInfoLimits.LengthOf(change.NewName) > BasicFourInfoLimits.NameMaxLength)
                {
                    return RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.NameTooLong, $"The name has more than {BasicFourInfoLimits.NameMaxLength} characters, more than a certificate carries.");
                }

                // A new name is read differently: the old reading would stay on the register under the new name.
                if (string.IsNullOrWhiteSpace(change.NewNameKana))
                {
                    return RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.KanaRequired, "A name change needs the reading (kana) of the new name.");
                }

                if (BasicFourInfoLimits.LengthOf(change.NewNameKana) > BasicFourInfoLimits.NameKanaMaxLength)
                {
                    return RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.KanaTooLong, $"The reading has more than {BasicFourInfoLimits.NameKanaMaxLength} characters.");
                }

                updated = resident with { Name = change.NewName, NameKana = change.NewNameKana };
                summary = "name";
                break;
            case ResidentChangeKind.BirthDateCorrection:
                if (change.NewDateOfBirth is not { } dob || dob == resident.DateOfBirth || dob > Core.Time.JapanTime.Today(_clock))
                {
                    return Invalid("A birth date correction needs a different date of birth, not in the future.");
                }

                updated = resident with { DateOfBirth = dob };
                summary = "date of birth";
                break;
            case ResidentChangeKind.SexCorrection:
                if (change.NewSex is not { } sex || !Enum.IsDefined(sex) || sex == resident.Sex)
                {
                    return Invalid("A sex correction needs a different, valid sex code.");
                }

                updated = resident with { Sex = sex };
                summary = "sex";
                break;
            case ResidentChangeKind.Death:
                updated = resident with { Status = ResidentStatus.Deceased };
                summary = "deceased";
                break;
            case ResidentChangeKind.CardLoss:
                var card = change.CardId is null ? null : await _store.FindCardAsync(change.CardId, cancellationToken).ConfigureAwait(false);
                if (card is null || card.HolderId != resident.Id)
                {
                    return RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.CardNotHolders, "That card is not registered to this resident.");
                }

                cardUpdate = card with { Status = CardStatus.Lost };
                updated = resident;
                summary = "card lost";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "Unknown change kind.");
        }

        var now = _clock.GetUtcNow();
        var record = new ResidentChangeRecord(Guid.NewGuid().ToString("N"), change.Kind, resident.Id, now, staff.Id, summary);
        var tasks = RevocationPolicy.For(change.Kind)
            .Select(p => new RevocationTask(
                Guid.NewGuid().ToString("N"), record.Id, resident.Id, p.Kind, p.Reason,
                change.Kind == ResidentChangeKind.CardLoss ? change.CardId : null, now, RevocationTaskStatus.Pending, 0, null, null))
            .ToList();
        await _store.RecordChangeAsync(record, updated, cardUpdate, tasks, cancellationToken).ConfigureAwait(false);

        var done = new List<RevocationTask>(tasks.Count);
        foreach (var task in tasks)
        {
            done.Add(await ExecuteAsync(task, cancellationToken).ConfigureAwait(false));
        }

        return RuleOutcome<ResidentChangeResult>.Allow(new ResidentChangeResult(record, updated, done));
    }

    private async Task<RevocationTask> ExecuteAsync(RevocationTask task, CancellationToken cancellationToken)
    {
        try
        {
            var now = _clock.GetUtcNow();
            var certificates = await _issuer.FindByHolderAsync(new HolderId(task.HolderId), cancellationToken).ConfigureAwait(false);
            var serials = new List<string>();
            foreach (var certificate in certificates)
            {
                if (certificate.Kind != task.Kind || !certificate.IsLiveAt(now)
                    || certificate.IssuedAt > task.IssuedUpTo || (task.CardId is not null && certificate.CardId.Value != task.CardId))
                {
                    continue;
                }

                var result = await _issuer.RevokeAsync(certificate.Serial, task.Reason, cancellationToken).ConfigureAwait(false);
                if (result == RevokeResult.NotFound)
                {
                    throw new InvalidOperationException($"The authority does not know serial {certificate.Serial}.");
                }

                serials.Add(certificate.Serial.Hex);
            }

            var list = string.Join(',', serials);
            await _store.CompleteTaskAsync(task.Id, list, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return task with { Status = RevocationTaskStatus.Done, Attempts = task.Attempts + 1, RevokedSerials = list };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The task is already durable; it stays pending and is retried. Record what went wrong for the operator.
            var error = $"{ex.GetType().Name}: {ex.Message}";
            await _store.FailTaskAttemptAsync(task.Id, error, cancellationToken).ConfigureAwait(false);
            return task with { Attempts = task.Attempts + 1, LastError = error };
        }
    }

    private static RuleOutcome<ResidentChangeResult> Invalid(string message) =>
        RuleOutcome<ResidentChangeResult>.Refuse(CounterCodes.ChangeInvalid, message);
}
