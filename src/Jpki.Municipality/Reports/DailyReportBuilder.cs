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
        var entries = await _store.ListJournalDayAsync(date, cancellationToken).ConfigureAwait(false);
        var (issued, fees) = Summarize(entries);
        var lines = entries
            .GroupBy(e => (e.Action, e.Outcome))
            .Select(g => new DailyReportLine(g.Key.Action, g.Key.Outcome, g.Count()))
            .OrderBy(l => l.Action, StringComparer.Ordinal).ThenBy(l => l.Outcome, StringComparer.Ordinal)
            .ToList();
        return new DailyReport(date, lines, issued, fees);
    }

    /// <summary>Certificates issued and fees charged in <paramref name="entries"/> (the daily close records the same sums).</summary>
    public static (int CertificatesIssued, int FeesYen) Summarize(IEnumerable<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var issued = 0;
        var fees = 0;
        foreach (var e in entries)
        {
            if (e.Outcome == JournalEntry.Ok && (e.Action == CounterActions.Issue || e.Action == CounterActions.ProxyIssue))
            {
                issued += e.Details.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            }

            fees += e.FeeYen;
        }

        return (issued, fees);
    }
}
