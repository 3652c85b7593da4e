using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Reports;

/// <summary>
/// 日次締め: a supervisor closes a business day. The store seals it in the same transaction as the journal's appends
/// (<see cref="ICounterStore.CloseDayAsync"/>): the report of a closed day never changes, later actions — the close's own
/// journal entry included — belong to the next open day, and the journal's hash chain shows any change afterwards.
/// </summary>
public sealed class DayCloseService
{
    /// <summary>The day was closed before.</summary>
    public const string DayAlreadyClosed = "day-already-closed";

    /// <summary>A day after today cannot be closed (it would push today's work onto the day after).</summary>
    public const string DayInFuture = "day-in-future";

    private readonly ICounterStore _store;
    private readonly TimeProvider _clock;
    private readonly CounterJournal _journal;

    /// <summary>Creates the service.</summary>
    public DayCloseService(ICounterStore store, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
        _journal = new CounterJournal(store, clock, logger);
    }

    /// <summary>Closes <paramref name="date"/>. Refusals: <c>supervisor-required</c>, <c>day-in-future</c>, <c>day-already-closed</c>.</summary>
    public async Task<RuleOutcome<DayClose>> CloseAsync(StaffAccount staff, DateOnly date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (staff.Role != StaffRole.Supervisor)
        {
            return RuleOutcome<DayClose>.Refuse(CounterCodes.SupervisorRequired, "The daily close needs a supervisor.");
        }

        if (date > JapanTime.Today(_clock))
        {
            return RuleOutcome<DayClose>.Refuse(DayInFuture, "A day after today cannot be closed.");
        }

        var close = await _store.CloseDayAsync(date, staff.Id, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (close is null)
        {
            return RuleOutcome<DayClose>.Refuse(DayAlreadyClosed, "That day is already closed.");
        }

        await _journal.RecordAsync(staff, CounterActions.DayClose, null, null, JournalEntry.Ok, date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), 0, cancellationToken).ConfigureAwait(false);
        return RuleOutcome<DayClose>.Allow(close);
    }
}
