using System.Diagnostics.Metrics;

namespace Jpki.Municipality.Reports;

/// <summary>
/// The counter's metrics (System.Diagnostics; <c>jpki serve</c> exports them through OpenTelemetry — docs/operations.md).
/// Every workflow the journal records is counted by action (<see cref="CounterActions"/>) and outcome (<c>ok</c>,
/// <c>failed</c>, or the refusal code): the same words as the journal, never a resident, card or staff identifier.
/// </summary>
public static class CounterTelemetry
{
    /// <summary>The name of the counter's <see cref="Meter"/>.</summary>
    public const string Name = "OpenJpki.Counter";

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Workflows = Meter.CreateCounter<long>(
        "jpki.counter.workflows", "{workflow}", "Counter workflows recorded in the journal, by action and outcome (ok, failed, or the refusal code).");

    private static readonly Counter<long> Fees = Meter.CreateCounter<long>(
        "jpki.counter.fees", "{yen}", "Fees charged at the counter, in yen, by action.");

    internal static void Recorded(string action, string outcome, int feeYen)
    {
        Workflows.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("outcome", outcome));
        if (feeYen > 0)
        {
            Fees.Add(feeYen, new KeyValuePair<string, object?>("action", action));
        }
    }
}
