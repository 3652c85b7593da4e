using System.Data.Common;
using System.Globalization;
using Jpki.Core.Charset;
using Jpki.Core.Identity;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Storage;

/// <summary>
/// The store in portable SQL: both engines take <c>@name</c> parameters, instants are stored as UTC ticks (bigint),
/// dates as <c>yyyy-MM-dd</c> text and enums/booleans as integers, so only connection setup, DDL and the unique
/// violation test differ per engine.
/// </summary>
internal abstract partial class SqlCounterStore : ICounterStore
{
    private const string ResidentColumns = "id, name, name_kana, address, date_of_birth, sex, under_guardianship, household_id, status";
    private const string TaskColumns = "id, event_id, holder_id, kind, reason, card_id, issued_up_to, status, attempts, last_error, revoked_serials";
    private const string InquiryColumns = "reference, resident_id, addressee_name, addressee_address, proxy_name, proxy_id_document, requested_at, issued_on, answer_deadline, staff_id, status, closed_at, closed_code";

    protected abstract IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    protected abstract bool IsUniqueViolation(DbException exception);

    public abstract ValueTask DisposeAsync();

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", cancellationToken).ConfigureAwait(false);
        var current = await VersionAsync(connection, cancellationToken).ConfigureAwait(false);
        foreach (var (version, name, sql) in Migrations)
        {
            if (version <= current)
            {
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await using (var record = Command(connection, transaction, "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @a)"))
            {
                Add(record, "v", version);
                Add(record, "n", name);
                Add(record, "a", 0L);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await EnsureSearchKeysAsync(connection, cancellationToken).ConfigureAwait(false);
        await EnsureJournalChainAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await VersionAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddResidentsAsync(IReadOnlyList<Resident> residents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(residents);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var resident in residents)
        {
            await using var command = Command(connection, transaction, $"INSERT INTO residents ({ResidentColumns}, name_key, kana_key) VALUES (@id, @name, @kana, @address, @dob, @sex, @guardianship, @household, @status, @nameKey, @kanaKey)");
            BindResident(command, resident);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException ex) when (IsUniqueViolation(ex))
            {
                throw new DuplicateResidentException($"A resident with id {resident.Id} already exists; nothing was added.", ex);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Resident?> FindResidentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {ResidentColumns} FROM residents WHERE id = @id");
        Add(command, "id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadResident(reader) : null;
    }

    public async Task<IReadOnlyList<Resident>> SearchResidentsAsync(ResidentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SearchCommand(connection, query, $"SELECT {ResidentColumns} FROM residents WHERE {{0}} ORDER BY name_kana, id LIMIT @limit OFFSET @offset");
        Add(command, "limit", query.Limit);
        Add(command, "offset", query.Offset);
        var found = new List<Resident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(ReadResident(reader));
        }

        return found;
    }

    public async Task<int> CountResidentsAsync(ResidentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SearchCommand(connection, query, "SELECT COUNT(*) FROM residents WHERE {0}");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The search condition: the reference exactly, or a part of the folded name or reading (<see cref="VariantFolding"/>:
    /// 高橋 finds 髙橋, SMITH finds ＳＭＩＴＨ, spaces ignored), and/or the date of birth.
    /// </summary>
    private static DbCommand SearchCommand(DbConnection connection, ResidentQuery query, string sqlFormat)
    {
        var conditions = new List<string>(2);
        var text = query.NormalizedText;
        var key = text is null ? null : VariantFolding.Fold(text);
        if (text is not null)
        {
            // LIKE with an explicit escape character behaves the same on SQLite and PostgreSQL; the user's % and _ are literal.
            conditions.Add(key!.Length == 0 ? "id = @text" : "(id = @text OR name_key LIKE @pattern ESCAPE '!' OR kana_key LIKE @pattern ESCAPE '!')");
        }

        if (query.DateOfBirth is not null)
        {
            conditions.Add("date_of_birth = @dob");
        }

        var command = Command(connection, null, string.Format(CultureInfo.InvariantCulture, sqlFormat, string.Join(" AND ", conditions)));
        if (text is not null)
        {
            Add(command, "text", text);
            Add(command, "pattern", "%" + key!.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal) + "%");
        }

        if (query.DateOfBirth is { } dob)
        {
            Add(command, "dob", FormatDate(dob));
        }

        return command;
    }

    public async Task<bool> UpdateResidentAsync(Resident resident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resident);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await UpdateResidentAsync(connection, null, resident, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveCardAsync(ResidentCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await SaveCardAsync(connection, null, card, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ResidentCard?> FindCardAsync(string cardId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT card_id, holder_id, kind, expires_on, status FROM cards WHERE card_id = @id");
        Add(command, "id", cardId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new ResidentCard(reader.GetString(0), reader.GetString(1), (CardKind)reader.GetInt32(2), ParseDate(reader.GetString(3)), (CardStatus)reader.GetInt32(4));
    }

    public async Task RecordChangeAsync(ResidentChangeRecord change, Resident updated, ResidentCard? cardUpdate, IReadOnlyList<RevocationTask> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(tasks);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await UpdateResidentAsync(connection, transaction, updated, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Resident {updated.Id} does not exist.");
        }

        if (cardUpdate is not null)
        {
            await SaveCardAsync(connection, transaction, cardUpdate, cancellationToken).ConfigureAwait(false);
        }

        await using (var command = Command(connection, transaction, "INSERT INTO resident_events (id, kind, resident_id, at, staff_id, summary) VALUES (@id, @kind, @resident, @at, @staff, @summary)"))
        {
            Add(command, "id", change.Id);
            Add(command, "kind", (int)change.Kind);
            Add(command, "resident", change.ResidentId);
            Add(command, "at", Ticks(change.At));
            Add(command, "staff", change.StaffId);
            Add(command, "summary", change.Summary);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var task in tasks)
        {
            await using var command = Command(connection, transaction, $"INSERT INTO revocation_tasks ({TaskColumns}, created_at) VALUES (@id, @event, @holder, @kind, @reason, @card, @upto, @status, @attempts, @error, @serials, @created)");
            Add(command, "id", task.Id);
            Add(command, "event", task.EventId);
            Add(command, "holder", task.HolderId);
            Add(command, "kind", (int)task.Kind);
            Add(command, "reason", (int)task.Reason);
            Add(command, "card", task.CardId);
            Add(command, "upto", Ticks(task.IssuedUpTo));
            Add(command, "status", (int)task.Status);
            Add(command, "attempts", task.Attempts);
            Add(command, "error", task.LastError);
            Add(command, "serials", task.RevokedSerials);
            Add(command, "created", Ticks(change.At));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ResidentChangeRecord>> ListChangesAsync(string residentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT id, kind, resident_id, at, staff_id, summary FROM resident_events WHERE resident_id = @r ORDER BY at, id");
        Add(command, "r", residentId);
        var list = new List<ResidentChangeRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ResidentChangeRecord(reader.GetString(0), (ResidentChangeKind)reader.GetInt32(1), reader.GetString(2), FromTicks(reader.GetInt64(3)), reader.GetString(4), reader.GetString(5)));
        }

        return list;
    }

    public Task<IReadOnlyList<RevocationTask>> ListTasksAsync(string eventId, CancellationToken cancellationToken)
        => QueryTasksAsync("event_id = @e", c => Add(c, "e", eventId), cancellationToken);

    public Task<IReadOnlyList<RevocationTask>> ListPendingTasksAsync(CancellationToken cancellationToken)
        => QueryTasksAsync("status = @s", c => Add(c, "s", (int)RevocationTaskStatus.Pending), cancellationToken);

    public async Task CompleteTaskAsync(string taskId, string revokedSerials, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE revocation_tasks SET status = @s, attempts = attempts + 1, revoked_serials = @serials, done_at = @at WHERE id = @id");
        Add(command, "s", (int)RevocationTaskStatus.Done);
        Add(command, "serials", revokedSerials);
        Add(command, "at", Ticks(at));
        Add(command, "id", taskId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FailTaskAttemptAsync(string taskId, string error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE revocation_tasks SET attempts = attempts + 1, last_error = @error WHERE id = @id AND status = @s");
        Add(command, "error", error);
        Add(command, "id", taskId);
        Add(command, "s", (int)RevocationTaskStatus.Pending);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AddInquiryAsync(ProxyInquiry inquiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"INSERT INTO proxy_inquiries ({InquiryColumns}) VALUES (@ref, @resident, @name, @address, @proxy, @doc, @requested, @issued, @deadline, @staff, @status, @closedAt, @closedCode)");
        Add(command, "ref", inquiry.Reference);
        Add(command, "resident", inquiry.ResidentId);
        Add(command, "name", inquiry.AddresseeName);
        Add(command, "address", inquiry.AddresseeAddress);
        Add(command, "proxy", inquiry.ProxyName);
        Add(command, "doc", inquiry.ProxyIdDocument);
        Add(command, "requested", Ticks(inquiry.RequestedAt));
        Add(command, "issued", FormatDate(inquiry.IssuedOn));
        Add(command, "deadline", FormatDate(inquiry.AnswerDeadline));
        Add(command, "staff", inquiry.StaffId);
        Add(command, "status", (int)inquiry.Status);
        Add(command, "closedAt", inquiry.ClosedAt is { } c ? Ticks(c) : null);
        Add(command, "closedCode", inquiry.ClosedCode);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProxyInquiry?> FindInquiryAsync(string reference, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {InquiryColumns} FROM proxy_inquiries WHERE reference = @ref");
        Add(command, "ref", reference);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new ProxyInquiry(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            FromTicks(reader.GetInt64(6)), ParseDate(reader.GetString(7)), ParseDate(reader.GetString(8)), reader.GetString(9),
            (InquiryStatus)reader.GetInt32(10),
            reader.IsDBNull(11) ? null : FromTicks(reader.GetInt64(11)),
            reader.IsDBNull(12) ? null : reader.GetString(12));
    }

    public async Task<bool> CloseInquiryAsync(string reference, InquiryStatus status, string code, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE proxy_inquiries SET status = @status, closed_code = @code, closed_at = @at WHERE reference = @ref AND status = @open");
        Add(command, "status", (int)status);
        Add(command, "code", code);
        Add(command, "at", Ticks(at));
        Add(command, "ref", reference);
        Add(command, "open", (int)InquiryStatus.Open);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static async Task<int> VersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<RevocationTask>> QueryTasksAsync(string where, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {TaskColumns} FROM revocation_tasks WHERE {where} ORDER BY created_at, id");
        bind(command);
        var list = new List<RevocationTask>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new RevocationTask(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), (CertificateKind)reader.GetInt32(3),
                (RevocationReason)reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), FromTicks(reader.GetInt64(6)),
                (RevocationTaskStatus)reader.GetInt32(7), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return list;
    }

    private static async Task<bool> UpdateResidentAsync(DbConnection connection, DbTransaction? transaction, Resident resident, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "UPDATE residents SET name = @name, name_kana = @kana, address = @address, date_of_birth = @dob, sex = @sex, under_guardianship = @guardianship, household_id = @household, status = @status, name_key = @nameKey, kana_key = @kanaKey WHERE id = @id");
        BindResident(command, resident);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static async Task SaveCardAsync(DbConnection connection, DbTransaction? transaction, ResidentCard card, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "INSERT INTO cards (card_id, holder_id, kind, expires_on, status) VALUES (@id, @holder, @kind, @expires, @status) ON CONFLICT (card_id) DO UPDATE SET holder_id = excluded.holder_id, kind = excluded.kind, expires_on = excluded.expires_on, status = excluded.status");
        Add(command, "id", card.CardId);
        Add(command, "holder", card.HolderId);
        Add(command, "kind", (int)card.Kind);
        Add(command, "expires", FormatDate(card.ExpiresOn));
        Add(command, "status", (int)card.Status);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many parameters <see cref="BindResident"/> adds, in the order <see cref="SetResident"/> fills them.</summary>
    private const int ResidentParameterCount = 11;

    /// <summary>Puts a resident's values into the parameters <see cref="BindResident"/> added at <paramref name="first"/> (a reused command).</summary>
    private static void SetResident(DbCommand command, Resident resident, int first)
    {
        object?[] values =
        [
            VariantFolding.Fold(resident.Name), VariantFolding.Fold(resident.NameKana), resident.Id, resident.Name, resident.NameKana, resident.Address,
            FormatDate(resident.DateOfBirth), (int)resident.Sex, resident.UnderGuardianship ? 1 : 0, resident.HouseholdId, (int)resident.Status,
        ];
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[first + i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static void BindResident(DbCommand command, Resident resident, string suffix = "")
    {
        Add(command, "nameKey" + suffix, VariantFolding.Fold(resident.Name));
        Add(command, "kanaKey" + suffix, VariantFolding.Fold(resident.NameKana));
        Add(command, "id" + suffix, resident.Id);
        Add(command, "name" + suffix, resident.Name);
        Add(command, "kana" + suffix, resident.NameKana);
        Add(command, "address" + suffix, resident.Address);
        Add(command, "dob" + suffix, FormatDate(resident.DateOfBirth));
        Add(command, "sex" + suffix, (int)resident.Sex);
        Add(command, "guardianship" + suffix, resident.UnderGuardianship ? 1 : 0);
        Add(command, "household" + suffix, resident.HouseholdId);
        Add(command, "status" + suffix, (int)resident.Status);
    }

    private static Resident ReadResident(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), ParseDate(reader.GetString(4)),
        (Sex)reader.GetInt32(5), reader.GetInt32(6) != 0, reader.GetString(7), (ResidentStatus)reader.GetInt32(8));

    private static async Task ExecAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // SQL text is built only from constants of this class; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static long Ticks(DateTimeOffset at) => at.UtcTicks;

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
