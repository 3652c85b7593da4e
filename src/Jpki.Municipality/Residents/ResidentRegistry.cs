using System.Globalization;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Residents;

/// <summary>Resident records: CSV import (all or nothing), edits of non-revoking fields, card registration.</summary>
public sealed class ResidentRegistry
{
    private readonly ICounterStore _store;
    private readonly TimeProvider _clock;
    private readonly CounterJournal _journal;

    /// <summary>Creates the service.</summary>
    public ResidentRegistry(ICounterStore store, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
        _journal = new CounterJournal(store, clock);
    }

    /// <summary>
    /// Reads a resident CSV file (<see cref="ResidentCsv"/>) and imports it in one transaction. A file with any bad
    /// line, or with an id that already exists (<c>existing-id</c>), imports nothing.
    /// </summary>
    public async Task<CsvImportResult> ImportCsvAsync(Stream csv, StaffAccount staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(staff);
        using var buffer = new MemoryStream();
        await csv.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var result = ResidentCsv.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), JapanTime.Today(_clock));
        if (result.Accepted)
        {
            try
            {
                await _store.AddResidentsAsync(result.Residents, cancellationToken).ConfigureAwait(false);
            }
            catch (DuplicateResidentException)
            {
                result = await ExistingIdsAsync(result.Residents, cancellationToken).ConfigureAwait(false);
            }
        }

        var outcome = result.Accepted ? JournalEntry.Ok : "rejected";
        var details = result.Accepted
            ? string.Create(CultureInfo.InvariantCulture, $"imported {result.Residents.Count}")
            : string.Create(CultureInfo.InvariantCulture, $"rejected: {result.Errors.Count} bad lines, first at line {result.Errors[0].Line} ({result.Errors[0].Code})");
        await _journal.RecordAsync(staff, CounterActions.Import, null, null, outcome, details, 0, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Edits the non-revoking fields of a resident. Refusals: <c>resident-not-found</c>, <c>empty-kana</c>, <c>empty-household</c>.</summary>
    public async Task<RuleOutcome<Resident>> EditAsync(ResidentEdit edit, StaffAccount staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(staff);
        var resident = await _store.FindResidentAsync(edit.ResidentId, cancellationToken).ConfigureAwait(false);
        RuleOutcome<Resident> outcome;
        if (resident is null)
        {
            outcome = RuleOutcome<Resident>.Refuse(CounterCodes.ResidentNotFound, "No resident with that id is registered.");
        }
        else if (edit.NameKana is { } kana && string.IsNullOrWhiteSpace(kana))
        {
            outcome = RuleOutcome<Resident>.Refuse("empty-kana", "The reading (kana) cannot be empty.");
        }
        else if (edit.HouseholdId is { } household && string.IsNullOrWhiteSpace(household))
        {
            outcome = RuleOutcome<Resident>.Refuse("empty-household", "The household id cannot be empty.");
        }
        else
        {
            var updated = resident with
            {
                NameKana = edit.NameKana ?? resident.NameKana,
                UnderGuardianship = edit.UnderGuardianship ?? resident.UnderGuardianship,
                HouseholdId = edit.HouseholdId ?? resident.HouseholdId,
            };
            await _store.UpdateResidentAsync(updated, cancellationToken).ConfigureAwait(false);
            outcome = RuleOutcome<Resident>.Allow(updated);
        }

        await _journal.RecordAsync(staff, CounterActions.Edit, edit.ResidentId, null, outcome.Code ?? JournalEntry.Ok, "fields: kana/guardianship/household", 0, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Registers a card to a resident (what the card office hands over with a new card). Refusal: <c>resident-not-found</c>.</summary>
    public async Task<RuleOutcome<ResidentCard>> RegisterCardAsync(ResidentCard card, StaffAccount staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(staff);
        var resident = await _store.FindResidentAsync(card.HolderId, cancellationToken).ConfigureAwait(false);
        RuleOutcome<ResidentCard> outcome;
        if (resident is null)
        {
            outcome = RuleOutcome<ResidentCard>.Refuse(CounterCodes.ResidentNotFound, "No resident with that id is registered.");
        }
        else
        {
            await _store.SaveCardAsync(card, cancellationToken).ConfigureAwait(false);
            outcome = RuleOutcome<ResidentCard>.Allow(card);
        }

        await _journal.RecordAsync(staff, CounterActions.CardRegister, card.HolderId, card.CardId, outcome.Code ?? JournalEntry.Ok, string.Empty, 0, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private async Task<CsvImportResult> ExistingIdsAsync(IReadOnlyList<Resident> residents, CancellationToken cancellationToken)
    {
        var errors = new List<CsvRowError>();
        for (var i = 0; i < residents.Count; i++)
        {
            if (await _store.FindResidentAsync(residents[i].Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                // Rows are lines 2, 3, … in order: Parse accepts a file only when no line was skipped.
                errors.Add(new CsvRowError(i + 2, "existing-id", $"A resident with id {residents[i].Id} is already registered."));
            }
        }

        if (errors.Count == 0)
        {
            errors.Add(new CsvRowError(1, "existing-id", "Another import added one of these ids at the same time; nothing was imported."));
        }

        return new CsvImportResult([], errors);
    }
}
