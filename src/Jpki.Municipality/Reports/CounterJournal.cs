using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Reports;

/// <summary>Writes journal entries stamped with the injected clock.</summary>
public sealed class CounterJournal
{
    private readonly ICounterStore _store;
    private readonly TimeProvider _clock;

    /// <summary>Creates the journal over <paramref name="store"/>.</summary>
    public CounterJournal(ICounterStore store, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
    }

    /// <summary>Records one action.</summary>
    public async Task RecordAsync(StaffAccount staff, string action, string? residentId, string? cardId, string outcome, string details, int feeYen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        await _store.AppendJournalAsync(new JournalEntry(_clock.GetUtcNow(), staff.Id, action, residentId, cardId, outcome, details, feeYen), cancellationToken).ConfigureAwait(false);
        CounterTelemetry.Recorded(action, outcome, feeYen);
    }
}
