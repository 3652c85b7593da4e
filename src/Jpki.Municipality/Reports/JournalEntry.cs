namespace Jpki.Municipality.Reports;

/// <summary>
/// One action at the counter, for the journal and the daily report. Never holds a PIN, a password or a My Number.
/// </summary>
/// <param name="At">When (from the injected clock).</param>
/// <param name="StaffId">Who.</param>
/// <param name="Action">What (<see cref="CounterActions"/>).</param>
/// <param name="ResidentId">For whom, when known.</param>
/// <param name="CardId">Which card, when known.</param>
/// <param name="Outcome"><see cref="Ok"/>, a refusal code, or <see cref="Failed"/>.</param>
/// <param name="Details">Facts: serials, expiry dates, the refusal sentence (English).</param>
/// <param name="FeeYen">Fee charged.</param>
/// <param name="Day">
/// The business day the entry belongs to, set by the store: the Japan day of <paramref name="At"/>, or the next day that
/// is not closed when that day was already closed (日次締め).
/// </param>
/// <param name="Sequence">The entry's number in the journal's hash chain, set by the store.</param>
public sealed record JournalEntry(
    DateTimeOffset At,
    string StaffId,
    string Action,
    string? ResidentId,
    string? CardId,
    string Outcome,
    string Details,
    int FeeYen,
    DateOnly? Day = null,
    long Sequence = 0)
{
    /// <summary>The outcome of a completed action.</summary>
    public const string Ok = "ok";

    /// <summary>The outcome of an action that failed on a port (card, authority).</summary>
    public const string Failed = "failed";
}
