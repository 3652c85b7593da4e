using System.Globalization;
using Jpki.Core.Identity;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Residents;

/// <summary>Resident records: CSV import (all or nothing), edits of non-revoking fields, card registration.</summary>
public sealed class ResidentRegistry
{
    private readonly ICounterStore _store;
    private readonly TimeProvider _clock;
    private readonly CounterJournal _journal;

    /// <summary>Creates the service.</summary>
    public ResidentRegistry(ICounterStore store, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
        _journal = new CounterJournal(store, clock, logger);
    }

    /// <summary>The most bad lines an import result lists (all are counted).</summary>
    public const int MaxReportedErrors = 100_000;

    private const int ProgressEvery = 1_000;
    private const int BatchRows = 1_000;

    /// <summary>Imports a resident CSV file (UTF-8 or detected); see the overload with options.</summary>
    public Task<ResidentImportResult> ImportCsvAsync(Stream csv, StaffAccount staff, CancellationToken cancellationToken) =>
        ImportCsvAsync(csv, staff, new ResidentImportOptions(), cancellationToken);

    /// <summary>
    /// Reads a resident CSV file (<see cref="ResidentCsv"/>, streaming: <see cref="ResidentCsvReader"/>) and imports it
    /// in one transaction. A file with any bad line, or with an id that is already registered (<c>existing-id</c>),
    /// imports nothing; every bad line is reported with its line number and a Japanese sentence. The import is
    /// journaled (<c>import</c>, ok or rejected).
    /// </summary>
    public async Task<ResidentImportResult> ImportCsvAsync(Stream csv, StaffAccount staff, ResidentImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(options);
        var reader = new ResidentCsvReader(csv, JapanTime.Today(_clock), options.Encoding);
        var errors = new List<CsvRowError>();
        var errorCount = 0;
        var imported = 0;
        var batch = new List<Resident>(BatchRows);
        var batchLines = new Dictionary<string, int>(BatchRows, StringComparer.Ordinal);
        await using (var import = await _store.BeginResidentImportAsync(cancellationToken).ConfigureAwait(false))
        {
            var nextProgress = ProgressEvery;
            await foreach (var row in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (row.Error is { } error)
                {
                    Report(error);
                }
                else
                {
                    batch.Add(row.Resident!);
                    batchLines[row.Resident!.Id] = row.Line;
                    if (batch.Count == BatchRows)
                    {
                        await FlushAsync().ConfigureAwait(false);
                    }
                }

                if (reader.LinesRead >= nextProgress)
                {
                    nextProgress += ProgressEvery;
                    options.Progress?.Report(new ResidentImportProgress(reader.LinesRead, reader.BytesRead, errorCount));
                }
            }

            await FlushAsync().ConfigureAwait(false);
            if (errorCount == 0)
            {
                await import.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            async Task FlushAsync()
            {
                if (batch.Count == 0)
                {
                    return;
                }

                // Rows are inserted even after an error, so that every already registered id is reported; nothing is committed then.
                foreach (var id in await import.AddAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    Report(new CsvRowError(batchLines[id], "existing-id", $"住民番号 {id} の住民はすでに登録されています。"));
                }

                imported += batch.Count;
                batch.Clear();
                batchLines.Clear();
            }
        }

        options.Progress?.Report(new ResidentImportProgress(reader.LinesRead, reader.BytesRead, errorCount));
        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        var result = new ResidentImportResult(errorCount == 0 ? imported : 0, errors, errorCount, reader.Encoding, reader.LinesRead);
        var outcome = result.Accepted ? JournalEntry.Ok : "rejected";
        var details = result.Accepted
            ? string.Create(CultureInfo.InvariantCulture, $"imported {result.Imported} ({result.Encoding})")
            : string.Create(CultureInfo.InvariantCulture, $"rejected: {result.ErrorCount} bad lines, first at line {errors[0].Line} ({errors[0].Code})");
        await _journal.RecordAsync(staff, CounterActions.Import, null, null, outcome, details, 0, cancellationToken).ConfigureAwait(false);
        return result;

        void Report(CsvRowError error)
        {
            errorCount++;
            if (errors.Count < MaxReportedErrors)
            {
                errors.Add(error);
            }
        }
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
        else if (edit.NameKana is { } longKana && BasicFourInfoLimits.LengthOf(longKana) > BasicFourInfoLimits.NameKanaMaxLength)
        {
            outcome = RuleOutcome<Resident>.Refuse(CounterCodes.KanaTooLong, $"The reading has more than {BasicFourInfoLimits.NameKanaMaxLength} characters.");
        }
        else if (edit.HouseholdId is { } longHousehold && longHousehold.Length > ResidentCsv.HouseholdMaxLength)
        {
            outcome = RuleOutcome<Resident>.Refuse("household-too-long", $"The household id has more than {ResidentCsv.HouseholdMaxLength} characters.");
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

    /// <summary>
    /// Registers a card to a resident (what the card office hands over with a new card), or updates its registration.
    /// Refusals: <c>resident-not-found</c>, <c>card-registered-to-other</c>, <c>bad-card-number</c>.
    /// </summary>
    public async Task<RuleOutcome<ResidentCard>> RegisterCardAsync(ResidentCard card, StaffAccount staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(staff);
        var resident = await _store.FindResidentAsync(card.HolderId, cancellationToken).ConfigureAwait(false);
        RuleOutcome<ResidentCard> outcome;
        var registered = resident is null ? null : await _store.FindCardAsync(card.CardId, cancellationToken).ConfigureAwait(false);
        if (resident is null)
        {
            outcome = RuleOutcome<ResidentCard>.Refuse(CounterCodes.ResidentNotFound, "No resident with that id is registered.");
        }
        else if (registered is not null && registered.HolderId != card.HolderId)
        {
            // A card number is one card: moving its registration to someone else would hand them the holder's card.
            outcome = RuleOutcome<ResidentCard>.Refuse(CounterCodes.CardRegisteredToOther, "That card number is registered to another resident.");
        }
        else if (string.IsNullOrWhiteSpace(card.CardId) || card.CardId.Length > 32 || !card.CardId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            outcome = RuleOutcome<ResidentCard>.Refuse(CounterCodes.BadCardNumber, "A card number is 1–32 ASCII letters, digits and '-'.");
        }
        else
        {
            await _store.SaveCardAsync(card, cancellationToken).ConfigureAwait(false);
            outcome = RuleOutcome<ResidentCard>.Allow(card);
        }

        await _journal.RecordAsync(staff, CounterActions.CardRegister, card.HolderId, card.CardId, outcome.Code ?? JournalEntry.Ok, string.Empty, 0, cancellationToken).ConfigureAwait(false);
        return outcome;
    }
}
