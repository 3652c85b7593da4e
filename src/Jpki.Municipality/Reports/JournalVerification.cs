namespace Jpki.Municipality.Reports;

/// <summary>The result of walking the journal's hash chain (<see cref="Storage.ICounterStore.VerifyJournalAsync"/>).</summary>
/// <param name="Intact">True when every entry links to the one before and every closed day matches its seal.</param>
/// <param name="Checked">Entries checked.</param>
/// <param name="FirstBadSequence">The first entry (or closed day's last entry) where the chain breaks, or null.</param>
/// <param name="Problem">What is wrong, in Japanese for the supervisor, or null.</param>
public sealed record JournalVerification(bool Intact, long Checked, long? FirstBadSequence, string? Problem);
