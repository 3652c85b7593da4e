using System.Data.Common;
using System.Globalization;
using System.Text;
using Jpki.Core.Charset;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Storage;

/// <summary>Register import in one transaction, batch by batch, and the folded search keys of residents (migration 3).</summary>
internal abstract partial class SqlCounterStore
{
    private const string SearchKeysSetting = "search-keys";

    public async Task<IResidentImport> BeginResidentImportAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new SqlResidentImport(connection, transaction, ImportRowsPerStatement);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Fills the search keys of residents that have none (rows of before migration 3) and recomputes all of them when
    /// <see cref="VariantFolding.Version"/> changed since they were computed.
    /// </summary>
    private static async Task EnsureSearchKeysAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using (var read = Command(connection, null, "SELECT value FROM counter_settings WHERE name = @name"))
        {
            Add(read, "name", SearchKeysSetting);
            if (await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string stored && stored == VariantFolding.Version)
            {
                return;
            }
        }

        await ExecAsync(connection, null, "UPDATE residents SET name_key = NULL, kana_key = NULL", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var batch = new List<(string Id, string Name, string Kana)>(1000);
            await using (var select = Command(connection, null, "SELECT id, name, name_kana FROM residents WHERE name_key IS NULL ORDER BY id LIMIT 1000"))
            {
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    batch.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }
            }

            if (batch.Count == 0)
            {
                break;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (id, name, kana) in batch)
            {
                await using var update = Command(connection, transaction, "UPDATE residents SET name_key = @nameKey, kana_key = @kanaKey WHERE id = @id");
                Add(update, "nameKey", VariantFolding.Fold(name));
                Add(update, "kanaKey", VariantFolding.Fold(kana));
                Add(update, "id", id);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var write = Command(connection, null, "INSERT INTO counter_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        Add(write, "name", SearchKeysSetting);
        Add(write, "value", VariantFolding.Version);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rows per INSERT of an import. PostgreSQL: many (one round trip for 200 rows). SQLite overrides it with 1: it has no
    /// round trips, and it looks parameters up by name with a linear scan, so a statement with thousands of parameters
    /// costs quadratic time.
    /// </summary>
    protected virtual int ImportRowsPerStatement => 200;

    /// <summary>One import transaction: inserts that skip (and report) ids already registered, each statement prepared once.</summary>
    private sealed class SqlResidentImport(DbConnection connection, DbTransaction transaction, int rowsPerStatement) : IResidentImport
    {
        private readonly Dictionary<int, DbCommand> _commands = [];
        private bool _committed;

        public async Task<IReadOnlyList<string>> AddAsync(IReadOnlyList<Resident> residents, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(residents);
            var existing = new List<string>();
            for (var offset = 0; offset < residents.Count; offset += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, residents.Count - offset);
                if (!_commands.TryGetValue(count, out var command))
                {
                    command = Command(connection, transaction, InsertSql(count));
                    for (var i = 0; i < count; i++)
                    {
                        BindResident(command, residents[offset + i], i.ToString(CultureInfo.InvariantCulture));
                    }

                    await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
                    _commands[count] = command;
                }
                else
                {
                    for (var i = 0; i < count; i++)
                    {
                        SetResident(command, residents[offset + i], i * ResidentParameterCount);
                    }
                }

                if (count == 1)
                {
                    // One row: the affected count says whether it was added (cheaper than reading RETURNING).
                    if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        existing.Add(residents[offset].Id);
                    }

                    continue;
                }

                var added = new HashSet<string>(StringComparer.Ordinal);
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        added.Add(reader.GetString(0));
                    }
                }

                for (var i = 0; i < count; i++)
                {
                    if (!added.Contains(residents[offset + i].Id))
                    {
                        existing.Add(residents[offset + i].Id);
                    }
                }
            }

            return existing;
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            if (!_committed)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        private static string InsertSql(int rows)
        {
            var sql = new StringBuilder($"INSERT INTO residents ({ResidentColumns}, name_key, kana_key) VALUES ");
            for (var i = 0; i < rows; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? string.Empty : ", ")
                    .Append(CultureInfo.InvariantCulture, $"(@id{n}, @name{n}, @kana{n}, @address{n}, @dob{n}, @sex{n}, @guardianship{n}, @household{n}, @status{n}, @nameKey{n}, @kanaKey{n})");
            }

            return sql.Append(rows == 1 ? " ON CONFLICT (id) DO NOTHING" : " ON CONFLICT (id) DO NOTHING RETURNING id").ToString();
        }
    }
}
