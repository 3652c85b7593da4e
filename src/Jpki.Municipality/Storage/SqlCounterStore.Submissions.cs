using System.Data.Common;

namespace Jpki.Municipality.Storage;

/// <summary>One-time form submissions (migration 4).</summary>
internal abstract partial class SqlCounterStore
{
    public async Task<bool> ClaimSubmissionAsync(FormSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "INSERT INTO form_submissions (id, staff_id, form, created_at, done) VALUES (@id, @staff, @form, @at, 0) ON CONFLICT (id) DO NOTHING");
        Add(command, "id", submission.Id);
        Add(command, "staff", submission.StaffId);
        Add(command, "form", submission.Form);
        Add(command, "at", Ticks(submission.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<FormSubmission?> FindSubmissionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT id, staff_id, form, created_at, done, outcome, location, payload FROM form_submissions WHERE id = @id");
        Add(command, "id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new FormSubmission(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), FromTicks(reader.GetInt64(3)), reader.GetInt32(4) != 0,
            NullableString(reader, 5), NullableString(reader, 6), NullableString(reader, 7));
    }

    public async Task CompleteSubmissionAsync(string id, string outcome, string? location, string? payload, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE form_submissions SET done = 1, outcome = @outcome, location = @location, payload = @payload, done_at = @at WHERE id = @id");
        Add(command, "outcome", outcome);
        Add(command, "location", location);
        Add(command, "payload", payload);
        Add(command, "at", Ticks(at));
        Add(command, "id", id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseSubmissionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "DELETE FROM form_submissions WHERE id = @id AND done = 0");
        Add(command, "id", id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeSubmissionsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "DELETE FROM form_submissions WHERE created_at < @before");
        Add(command, "before", Ticks(before));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
