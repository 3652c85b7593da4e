using System.Data.Common;
using Jpki.Core.Identity;
using Jpki.Municipality.Applications;

namespace Jpki.Municipality.Storage;

/// <summary>Issue-then-write-card workflows (migrations 7 and 8; the writing mark is state 7, no new column).</summary>
internal abstract partial class SqlCounterStore
{
    private const string WorkflowColumns =
        "request_id, kind, resident_id, card_id, staff_id, state, serial, request_body, created_at, updated_at, attempts, last_error, supersedes";

    public async Task RecordIssuanceIntentAsync(IssuanceWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"INSERT INTO issuance_workflows ({WorkflowColumns}) VALUES (@id, @kind, @resident, @card, @staff, @state, @serial, @body, @created, @updated, @attempts, @error, @supersedes)");
        Add(command, "id", workflow.RequestId);
        Add(command, "kind", (int)workflow.Kind);
        Add(command, "resident", workflow.ResidentId);
        Add(command, "card", workflow.CardId);
        Add(command, "staff", workflow.StaffId);
        Add(command, "state", (int)workflow.State);
        Add(command, "serial", workflow.Serial);
        Add(command, "body", workflow.RequestBody);
        Add(command, "created", Ticks(workflow.CreatedAt));
        Add(command, "updated", Ticks(workflow.UpdatedAt));
        Add(command, "attempts", workflow.Attempts);
        Add(command, "error", workflow.LastError);
        Add(command, "supersedes", workflow.Supersedes);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> MarkIssuanceIssuedAsync(string requestId, string serial, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE issuance_workflows SET state = @to, serial = @serial, updated_at = @at WHERE request_id = @id AND state = @from");
        Add(command, "to", (int)IssuanceWorkflowState.Issued);
        Add(command, "serial", serial);
        Add(command, "at", Ticks(at));
        Add(command, "id", requestId);
        Add(command, "from", (int)IssuanceWorkflowState.Intended);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> MarkIssuanceWritingAsync(string requestId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE issuance_workflows SET state = @to, updated_at = @at WHERE request_id = @id AND state = @from");
        Add(command, "to", (int)IssuanceWorkflowState.Writing);
        Add(command, "at", Ticks(at));
        Add(command, "id", requestId);
        Add(command, "from", (int)IssuanceWorkflowState.Issued);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> CompleteIssuanceAsync(string requestId, IssuanceWorkflowState from, IssuanceWorkflowState state, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (state is IssuanceWorkflowState.Intended or IssuanceWorkflowState.Issued or IssuanceWorkflowState.Writing)
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "A workflow completes as written, revoked or not issued (or, written, goes on to superseding).");
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE issuance_workflows SET state = @to, request_body = NULL, updated_at = @at WHERE request_id = @id AND state = @from");
        Add(command, "to", (int)state);
        Add(command, "at", Ticks(at));
        Add(command, "id", requestId);
        Add(command, "from", (int)from);
        var completed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (completed)
        {
            // The request body (public key, holder ids, basic-4 data) is gone from the row: let it go from the files too.
            await ForgetFreedContentAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        return completed;
    }

    /// <summary>
    /// After personal data was deleted or set to NULL: the store's chance to remove it from its files as well (SQLite:
    /// the write-ahead log is checkpointed and truncated; freed cells are already zeroed by <c>secure_delete</c>).
    /// </summary>
    protected virtual Task ForgetFreedContentAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task FailIssuanceAttemptAsync(string requestId, string error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "UPDATE issuance_workflows SET attempts = attempts + 1, last_error = @error, updated_at = @at WHERE request_id = @id AND state IN (@intended, @issued, @writing, @superseding)");
        Add(command, "error", error);
        Add(command, "at", Ticks(at));
        Add(command, "id", requestId);
        Add(command, "intended", (int)IssuanceWorkflowState.Intended);
        Add(command, "issued", (int)IssuanceWorkflowState.Issued);
        Add(command, "writing", (int)IssuanceWorkflowState.Writing);
        Add(command, "superseding", (int)IssuanceWorkflowState.Superseding);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IssuanceWorkflow>> ListOpenIssuancesAsync(string? residentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT {WorkflowColumns} FROM issuance_workflows WHERE state IN (@intended, @issued, @writing, @superseding)"
            + (residentId is null ? "" : " AND resident_id = @resident") + " ORDER BY created_at, request_id");
        Add(command, "intended", (int)IssuanceWorkflowState.Intended);
        Add(command, "issued", (int)IssuanceWorkflowState.Issued);
        Add(command, "writing", (int)IssuanceWorkflowState.Writing);
        Add(command, "superseding", (int)IssuanceWorkflowState.Superseding);
        if (residentId is not null)
        {
            Add(command, "resident", residentId);
        }

        return await ReadWorkflowsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IssuanceWorkflow>> ListIssuancesAsync(string residentId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT {WorkflowColumns} FROM issuance_workflows WHERE resident_id = @resident ORDER BY created_at DESC, request_id LIMIT @limit");
        Add(command, "resident", residentId);
        Add(command, "limit", limit);
        return await ReadWorkflowsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<IssuanceWorkflow>> ReadWorkflowsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var workflows = new List<IssuanceWorkflow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            workflows.Add(new IssuanceWorkflow(
                reader.GetString(0), (CertificateKind)reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                (IssuanceWorkflowState)reader.GetInt32(5), NullableString(reader, 6), NullableString(reader, 7),
                FromTicks(reader.GetInt64(8)), FromTicks(reader.GetInt64(9)), reader.GetInt32(10), NullableString(reader, 11))
            {
                Supersedes = NullableString(reader, 12),
            });
        }

        return workflows;
    }
}
