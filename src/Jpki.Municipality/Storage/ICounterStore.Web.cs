using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;

namespace Jpki.Municipality.Storage;

/// <summary>What the counter's web interface needs besides the workflows: staff accounts, lists and the daily close (migration 2).</summary>
public partial interface ICounterStore
{
    /// <summary>Adds a staff account; false (nothing changed) when the id exists.</summary>
    Task<bool> AddStaffAsync(StaffRecord staff, CancellationToken cancellationToken);

    /// <summary>The staff account with <paramref name="id"/>, or null.</summary>
    Task<StaffRecord?> FindStaffAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every staff account, by id.</summary>
    Task<IReadOnlyList<StaffRecord>> ListStaffAsync(CancellationToken cancellationToken);

    /// <summary>Replaces display name, role, password hash, disabled flag, login state and the must-change flag; false when the id does not exist.</summary>
    Task<bool> UpdateStaffAsync(StaffRecord staff, CancellationToken cancellationToken);

    /// <summary>
    /// The (login id, client) pairs locked at <paramref name="now"/>, by id then client: what a supervisor needs to see who is
    /// locked out from where. Ids of unknown accounts appear as their hashed key (a leading <c>~</c>).
    /// </summary>
    Task<IReadOnlyList<ClientLock>> ListClientLocksAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed login (or a wrong current password) of login id <paramref name="id"/> — known or not — from
    /// <paramref name="client"/>, atomically; at <paramref name="threshold"/> failures that pair is locked until
    /// <paramref name="lockUntil"/>. A lock that has ended (before <paramref name="now"/>) starts the count again.
    /// Returns the state after the update (migration 3).
    /// </summary>
    Task<ClientLoginState> RecordClientLoginFailureAsync(string id, string client, int threshold, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>The failed-login state of the pair (<paramref name="id"/>, <paramref name="client"/>); zero failures when none was recorded.</summary>
    Task<ClientLoginState> FindClientLoginStateAsync(string id, string client, CancellationToken cancellationToken);

    /// <summary>Forgets the failed logins of <paramref name="id"/> from <paramref name="client"/>, or from every client when null.</summary>
    Task ClearClientLoginFailuresAsync(string id, string? client, CancellationToken cancellationToken);

    /// <summary>The ASP.NET Core data-protection key ring elements (XML) that protect staff cookies, oldest name first.</summary>
    Task<IReadOnlyList<string>> ListDataProtectionKeysAsync(CancellationToken cancellationToken);

    /// <summary>Stores one data-protection key ring element; a name stored before is kept as it was.</summary>
    Task StoreDataProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken);

    /// <summary>The cards registered to a resident, by card number.</summary>
    Task<IReadOnlyList<ResidentCard>> ListCardsAsync(string holderId, CancellationToken cancellationToken);

    /// <summary>Proxy inquiries with <paramref name="status"/>, oldest request first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ProxyInquiry>> ListInquiriesAsync(InquiryStatus status, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The daily close, as one transaction with the journal's appends: the day's entries are counted and summed
    /// (<see cref="DailyReportBuilder.Summarize"/>) and the journal's hash chain head is recorded, so the day is sealed:
    /// every later entry is dated the next open day (<see cref="AppendJournalAsync"/>), and a change to a sealed entry
    /// breaks the chain (<see cref="VerifyJournalAsync"/>). Null (nothing changed) when that day is already closed.
    /// </summary>
    Task<DayClose?> CloseDayAsync(DateOnly date, string staffId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The close of <paramref name="date"/>, or null.</summary>
    Task<DayClose?> FindDayCloseAsync(DateOnly date, CancellationToken cancellationToken);
}
