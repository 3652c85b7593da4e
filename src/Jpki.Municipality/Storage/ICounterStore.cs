using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Storage;

/// <summary>
/// The counter's database: residents, cards, registry events with their revocation tasks, proxy inquiries and the
/// journal. Implemented on SQLite (embedded default) and PostgreSQL; both pass one contract suite. A method that
/// returns normally has made its change durable.
/// </summary>
public partial interface ICounterStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema (numbered migrations, recorded in <c>schema_version</c>). Idempotent.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The schema version in the database (0 when empty).</summary>
    Task<int> SchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>Adds residents in one transaction: all or none.</summary>
    /// <exception cref="DuplicateResidentException">An id already exists; nothing was added.</exception>
    Task AddResidentsAsync(IReadOnlyList<Resident> residents, CancellationToken cancellationToken);

    /// <summary>The resident with <paramref name="id"/>, or null.</summary>
    Task<Resident?> FindResidentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Residents matching <paramref name="query"/> (see <see cref="ResidentQuery"/>), ordered by reading then id.</summary>
    Task<IReadOnlyList<Resident>> SearchResidentsAsync(ResidentQuery query, CancellationToken cancellationToken);

    /// <summary>Replaces a resident's fields (the id must exist). Returns false when it does not.</summary>
    Task<bool> UpdateResidentAsync(Resident resident, CancellationToken cancellationToken);

    /// <summary>Registers a card, or replaces the registration of the same card number.</summary>
    Task SaveCardAsync(ResidentCard card, CancellationToken cancellationToken);

    /// <summary>The card registration, or null.</summary>
    Task<ResidentCard?> FindCardAsync(string cardId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a registry change in one transaction: the updated resident, the card update (if any), the event and its
    /// revocation tasks (status pending).
    /// </summary>
    Task RecordChangeAsync(ResidentChangeRecord change, Resident updated, ResidentCard? cardUpdate, IReadOnlyList<RevocationTask> tasks, CancellationToken cancellationToken);

    /// <summary>The events of a resident, oldest first.</summary>
    Task<IReadOnlyList<ResidentChangeRecord>> ListChangesAsync(string residentId, CancellationToken cancellationToken);

    /// <summary>The revocation tasks of an event.</summary>
    Task<IReadOnlyList<RevocationTask>> ListTasksAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>All pending revocation tasks, oldest first.</summary>
    Task<IReadOnlyList<RevocationTask>> ListPendingTasksAsync(CancellationToken cancellationToken);

    /// <summary>Marks a task done with the serials it revoked.</summary>
    Task CompleteTaskAsync(string taskId, string revokedSerials, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Counts a failed attempt and keeps the task pending.</summary>
    Task FailTaskAttemptAsync(string taskId, string error, CancellationToken cancellationToken);

    /// <summary>Adds a proxy inquiry.</summary>
    Task AddInquiryAsync(ProxyInquiry inquiry, CancellationToken cancellationToken);

    /// <summary>The inquiry with that reference, or null.</summary>
    Task<ProxyInquiry?> FindInquiryAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Closes an open inquiry; false when it was not open any more (another terminal closed it).</summary>
    Task<bool> CloseInquiryAsync(string reference, InquiryStatus status, string code, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a journal entry, hash-chained to the one before it (SHA-256 over the previous hash and the entry, like the
    /// authority's audit log). It belongs to the Japan day of its time — or, when that day is already closed, to the next
    /// day that is not (<see cref="CloseDayAsync"/>): a closed day never changes.
    /// </summary>
    Task AppendJournalAsync(JournalEntry entry, CancellationToken cancellationToken);

    /// <summary>Journal entries with <paramref name="from"/> ≤ At &lt; <paramref name="to"/>, in recording order.</summary>
    Task<IReadOnlyList<JournalEntry>> ListJournalAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The journal entries of the business day <paramref name="day"/> (<see cref="JournalEntry.Day"/>), in recording order.</summary>
    Task<IReadOnlyList<JournalEntry>> ListJournalDayAsync(DateOnly day, CancellationToken cancellationToken);

    /// <summary>Walks the journal's hash chain and checks every closed day against its seal.</summary>
    Task<JournalVerification> VerifyJournalAsync(CancellationToken cancellationToken);
}
