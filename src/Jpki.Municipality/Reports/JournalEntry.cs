namespace Jpki.Municipality.Reports;

/// <summary>
/// One counter action as recorded: who, when, on whom, with what outcome. Never holds a secret (no PIN, password,
/// key or My Number).
/// </summary>
/// <param name="At">When (injected clock).</param>
/// <param name="StaffId">The staff account.</param>
/// <param name="Action">Stable verb, see <see cref="CounterActions"/>.</param>
/// <param name="ResidentId">The resident, if known.</param>
/// <param name="CardId">The card, if any.</param>
/// <param name="Outcome"><c>ok</c>, or the refusal code, or <c>failed</c>.</param>
/// <param name="Details">Serials, expiry dates and similar facts for a reviewer.</param>
/// <param name="FeeYen">Fee charged (0 unless an issuance was charged).</param>
public sealed record JournalEntry(
    DateTimeOffset At,
    string StaffId,
    string Action,
    string? ResidentId,
    string? CardId,
    string Outcome,
    string Details,
    int FeeYen)
{
    /// <summary>The outcome of a successful action.</summary>
    public const string Ok = "ok";

    /// <summary>The outcome of an action that threw (port failure).</summary>
    public const string Failed = "failed";
}
