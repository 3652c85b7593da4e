using Jpki.Municipality.Applications;

namespace Jpki.Municipality.Storage;

/// <summary>The issue-then-write-card workflows (migration 7): every change of state is one conditional update.</summary>
public partial interface ICounterStore
{
    /// <summary>Records an issuance intent (state <see cref="IssuanceWorkflowState.Intended"/>) before the authority is asked.</summary>
    Task RecordIssuanceIntentAsync(IssuanceWorkflow workflow, CancellationToken cancellationToken);

    /// <summary>Intended → issued with the serial; false when the workflow was not intended any more (another resolver got there).</summary>
    Task<bool> MarkIssuanceIssuedAsync(string requestId, string serial, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Issued → writing, durably, before the card is touched (<see cref="IssuanceWorkflowState.Writing"/>); false when it
    /// was not issued any more.
    /// </summary>
    Task<bool> MarkIssuanceWritingAsync(string requestId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// An open workflow → <paramref name="state"/> (written, revoked or not issued; or issued → superseding once a
    /// renewal's certificate is on the card), clearing the kept request body;
    /// false when it was not open in <paramref name="from"/> any more: exactly one caller completes it.
    /// </summary>
    Task<bool> CompleteIssuanceAsync(string requestId, IssuanceWorkflowState from, IssuanceWorkflowState state, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Counts a failed attempt to resolve an open workflow and keeps the error.</summary>
    Task FailIssuanceAttemptAsync(string requestId, string error, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The open workflows (intended, issued, writing or superseding), oldest first; of one resident when <paramref name="residentId"/> is given.</summary>
    Task<IReadOnlyList<IssuanceWorkflow>> ListOpenIssuancesAsync(string? residentId, CancellationToken cancellationToken);

    /// <summary>A resident's workflows, newest first, at most <paramref name="limit"/> (what the clerk sees).</summary>
    Task<IReadOnlyList<IssuanceWorkflow>> ListIssuancesAsync(string residentId, int limit, CancellationToken cancellationToken);
}
