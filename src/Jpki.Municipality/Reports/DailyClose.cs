using System.Globalization;
using Jpki.Core.Rules;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Reports;

/// <summary>
/// The daily close (日次締め): a supervisor closes a Japan day once, fixing the day's count of certificates and fees
/// as the daily report counts them; the close is journaled.
/// </summary>
public sealed class DailyClose
{
    private readonly ICounterStore _store;
    private readonly TimeProvider _clock;
    private readonly DailyReportBuilder _reports;
    private readonly CounterJournal _journal;

    /// <summary>Creates the service.</summary>
    public DailyClose(ICounterStore store, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
        _reports = new DailyReportBuilder(store);
        _journal = new CounterJournal(store, clock);
    }

    /// <summary>Closes <paramref name="date"/>. Refusals: <c>supervisor-required</c>, <c>day-already-closed</c>.</summary>
    public async Task<RuleOutcome<DayClose>> CloseAsync(StaffAccount staff, DateOnly date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (staff.Role != StaffRole.Supervisor)
        {
            return RuleOutcome<DayClose>.Refuse(CounterCodes.SupervisorRequired, "The daily close needs a supervisor.");
        }

        var report = await _reports.BuildAsync(date, cancellationToken).ConfigureAwait(false);
        var close = new DayClose(date, _clock.GetUtcNow(), staff.Id, report.CertificatesIssued, report.FeesYen);
        if (!await _store.CloseDayAsync(close, cancellationToken).ConfigureAwait(false))
        {
            return RuleOutcome<DayClose>.Refuse(CounterCodes.DayAlreadyClosed, "That day is already closed.");
        }

        await _journal.RecordAsync(staff, CounterActions.DayClose, null, null, JournalEntry.Ok, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 0, cancellationToken).ConfigureAwait(false);
        return RuleOutcome<DayClose>.Allow(close);
    }
}
