using Jpki.Core.Time;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Reports;

/// <summary>Builds the daily report from the journal (00:00–24:00 JST).</summary>
public sealed class DailyReportBuilder
{
    private readonly ICounterStore _store;

    /// <summary>Creates the builder.</summary>
    public DailyReportBuilder(ICounterStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The report of Japan day <paramref name="date"/>.</summary>
    public async Task<DailyReport> BuildAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var entries = await _store.ListJournalAsync(JapanTime.StartOfDay(date), JapanTime.StartOfDay(date.AddDays(1)), cancellationToken).ConfigureAwait(false);
        var lines = entries
            .GroupBy(e => (e.Action, e.Outcome))
            .Select(g => new DailyReportLine(g.Key.Action, g.Key.Outcome, g.Count()))
            .OrderBy(l => l.Action, StringComparer.Ordinal).ThenBy(l => l.Outcome, StringComparer.Ordinal)
            .ToList();
        var issued = entries
            .Where(e => e.Outcome == JournalEntry.Ok && (e.Action == CounterActions.Issue || e.Action == CounterActions.ProxyIssue))
            .Sum(e => e.Details.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        return new DailyReport(date, lines, issued, entries.Sum(e => e.FeeYen));
    }
}
