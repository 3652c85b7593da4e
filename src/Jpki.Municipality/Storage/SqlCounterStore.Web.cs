using System.Data.Common;
using Jpki.Core.Identity;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;

namespace Jpki.Municipality.Storage;

/// <summary>Staff accounts, lists and the daily close (migration 2), in the same portable SQL.</summary>
internal abstract partial class SqlCounterStore
{
    private const string StaffColumns = "id, display_name, role, password_hash, disabled, failed_logins, locked_until, must_change_password, session_stamp, one_time_used";

    public async Task<bool> AddStaffAsync(StaffRecord staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"INSERT INTO staff ({StaffColumns}) VALUES (@id, @name, @role, @hash, @disabled, @failed, @locked, @change, @stamp, @used) ON CONFLICT (id) DO NOTHING");
        BindStaff(command, staff);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<StaffRecord?> FindStaffAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindStaffAsync(connection, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StaffRecord>> ListStaffAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {StaffColumns} FROM staff ORDER BY id");
        var list = new List<StaffRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadStaff(reader));
        }

        return list;
    }

    public async Task<bool> UpdateStaffAsync(StaffRecord staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "UPDATE staff SET display_name = @name, role = @role, password_hash = @hash, disabled = @disabled, failed_logins = @failed, locked_until = @locked, must_change_password = @change, session_stamp = @stamp, one_time_used = @used WHERE id = @id");
        BindStaff(command, staff);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<ClientLock>> ListClientLocksAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT staff_id, client, failures, locked_until FROM staff_login_failures WHERE locked_until > @now ORDER BY staff_id, client");
        Add(command, "now", Ticks(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var locks = new List<ClientLock>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            locks.Add(new ClientLock(reader.GetString(0), reader.GetString(1), FromTicks(reader.GetInt64(3))));
        }

        return locks;
    }

    public async Task<ClientLoginState> RecordClientLoginFailureAsync(string id, string client, int threshold, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One statement, so two requests failing at once both count. An expired lock starts the count again.
        await using (var command = Command(connection, null, """
            INSERT INTO staff_login_failures (staff_id, client, failures, locked_until) VALUES (@id, @client, 1, CASE WHEN @threshold <= 1 THEN @until ELSE NULL END)
            ON CONFLICT (staff_id, client) DO UPDATE SET
                failures = CASE WHEN staff_login_failures.locked_until IS NOT NULL AND staff_login_failures.locked_until <= @now THEN 1 ELSE staff_login_failures.failures + 1 END,
                locked_until = CASE
                    WHEN staff_login_failures.locked_until IS NOT NULL AND staff_login_failures.locked_until > @now THEN staff_login_failures.locked_until
                    WHEN (CASE WHEN staff_login_failures.locked_until IS NOT NULL AND staff_login_failures.locked_until <= @now THEN 1 ELSE staff_login_failures.failures + 1 END) >= @threshold THEN @until
                    ELSE NULL END
            """))
        {
            Add(command, "id", id);
            Add(command, "client", client);
            Add(command, "threshold", threshold);
            Add(command, "now", Ticks(now));
            Add(command, "until", Ticks(lockUntil));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await FindClientLoginStateAsync(connection, id, client, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClientLoginState> FindClientLoginStateAsync(string id, string client, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindClientLoginStateAsync(connection, id, client, cancellationToken).ConfigureAwait(false);
    }

    public async Task ClearClientLoginFailuresAsync(string id, string? client, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, client is null
            ? "DELETE FROM staff_login_failures WHERE staff_id = @id"
            : "DELETE FROM staff_login_failures WHERE staff_id = @id AND client = @client");
        Add(command, "id", id);
        if (client is not null)
        {
            Add(command, "client", client);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListDataProtectionKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT xml FROM data_protection_keys ORDER BY name");
        var list = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    public async Task StoreDataProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING");
        Add(command, "name", name);
        Add(command, "xml", xml);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ResidentCard>> ListCardsAsync(string holderId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT card_id, holder_id, kind, expires_on, status FROM cards WHERE holder_id = @h ORDER BY card_id");
        Add(command, "h", holderId);
        var list = new List<ResidentCard>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ResidentCard(reader.GetString(0), reader.GetString(1), (CardKind)reader.GetInt32(2), ParseDate(reader.GetString(3)), (CardStatus)reader.GetInt32(4)));
        }

        return list;
    }

    public async Task<IReadOnlyList<ProxyInquiry>> ListInquiriesAsync(InquiryStatus status, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT reference FROM proxy_inquiries WHERE status = @s ORDER BY requested_at, reference LIMIT @limit");
        Add(command, "s", (int)status);
        Add(command, "limit", limit);
        var references = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                references.Add(reader.GetString(0));
            }
        }

        var list = new List<ProxyInquiry>(references.Count);
        foreach (var reference in references)
        {
            if (await FindInquiryAsync(reference, cancellationToken).ConfigureAwait(false) is { } inquiry)
            {
                list.Add(inquiry);
            }
        }

        return list;
    }

    private static async Task<ClientLoginState> FindClientLoginStateAsync(DbConnection connection, string id, string client, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, "SELECT failures, locked_until FROM staff_login_failures WHERE staff_id = @id AND client = @client");
        Add(command, "id", id);
        Add(command, "client", client);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ClientLoginState(reader.GetInt32(0), reader.IsDBNull(1) ? null : FromTicks(reader.GetInt64(1)))
            : new ClientLoginState(0, null);
    }

    private static async Task<StaffRecord?> FindStaffAsync(DbConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, $"SELECT {StaffColumns} FROM staff WHERE id = @id");
        Add(command, "id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadStaff(reader) : null;
    }

    private static void BindStaff(DbCommand command, StaffRecord staff)
    {
        Add(command, "id", staff.Id);
        Add(command, "name", staff.DisplayName);
        Add(command, "role", (int)staff.Role);
        Add(command, "hash", staff.PasswordHash);
        Add(command, "disabled", staff.Disabled ? 1 : 0);
        Add(command, "failed", staff.FailedLogins);
        Add(command, "locked", staff.LockedUntil is { } locked ? Ticks(locked) : null);
        Add(command, "change", staff.MustChangePassword ? 1 : 0);
        Add(command, "stamp", staff.SessionStamp);
        Add(command, "used", staff.OneTimePasswordUsed ? 1 : 0);
    }

    private static StaffRecord ReadStaff(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), (StaffRole)reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4) != 0,
        reader.GetInt32(5), reader.IsDBNull(6) ? null : FromTicks(reader.GetInt64(6)), reader.GetInt32(7) != 0, reader.GetString(8), reader.GetInt32(9) != 0);
}
