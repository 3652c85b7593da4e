using System.Data.Common;
using System.Globalization;
using Jpki.Core.Time;
using Jpki.Municipality.Reports;

namespace Jpki.Municipality.Storage;

/// <summary>The journal as a hash chain with business days, and the daily close that seals a day (migration 5).</summary>
internal abstract partial class SqlCounterStore
{
    private const string JournalColumns = "seq, at, staff_id, action, resident_id, card_id, outcome, details, fee_yen, day, prev_hash, hash";

    /// <summary>Serialises journal writers inside a write transaction (SQLite: BEGIN IMMEDIATE already does).</summary>
    protected virtual Task LockJournalAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task AppendJournalAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockJournalAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var day = await OpenDayAsync(connection, transaction, JapanTime.ToJapanDate(entry.At), cancellationToken).ConfigureAwait(false);
        var (_, previous) = await HeadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await using (var command = Command(connection, transaction, "INSERT INTO journal (at, staff_id, action, resident_id, card_id, outcome, details, fee_yen, day, prev_hash, hash) VALUES (@at, @staff, @action, @resident, @card, @outcome, @details, @fee, @day, @prev, @hash)"))
        {
            Add(command, "at", Ticks(entry.At));
            Add(command, "staff", entry.StaffId);
            Add(command, "action", entry.Action);
            Add(command, "resident", entry.ResidentId);
            Add(command, "card", entry.CardId);
            Add(command, "outcome", entry.Outcome);
            Add(command, "details", entry.Details);
            Add(command, "fee", entry.FeeYen);
            Add(command, "day", FormatDate(day));
            Add(command, "prev", previous);
            Add(command, "hash", JournalHash.Compute(previous, entry, day));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalEntry>> ListJournalAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {JournalColumns} FROM journal WHERE at >= @from AND at < @to ORDER BY seq");
        Add(command, "from", Ticks(from));
        Add(command, "to", Ticks(to));
        return await ReadJournalAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalEntry>> ListJournalDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {JournalColumns} FROM journal WHERE day = @day ORDER BY seq");
        Add(command, "day", FormatDate(day));
        return await ReadJournalAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DayClose?> CloseDayAsync(DateOnly date, string staffId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(staffId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockJournalAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await using (var exists = Command(connection, transaction, "SELECT COUNT(*) FROM day_closes WHERE day = @day"))
        {
            Add(exists, "day", FormatDate(date));
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
            {
                return null;
            }
        }

        IReadOnlyList<JournalEntry> entries;
        await using (var list = Command(connection, transaction, $"SELECT {JournalColumns} FROM journal WHERE day = @day ORDER BY seq"))
        {
            Add(list, "day", FormatDate(date));
            entries = await ReadJournalAsync(list, cancellationToken).ConfigureAwait(false);
        }

        var (issued, fees) = DailyReportBuilder.Summarize(entries);
        var (lastSeq, head) = await HeadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var close = new DayClose(date, at, staffId, issued, fees, entries.Count, lastSeq, lastSeq == 0 ? string.Empty : head);
        await using (var insert = Command(connection, transaction, "INSERT INTO day_closes (day, closed_at, staff_id, certificates_issued, fees_yen, entries, last_seq, head_hash) VALUES (@day, @at, @staff, @issued, @fees, @entries, @last, @head)"))
        {
            Add(insert, "day", FormatDate(date));
            Add(insert, "at", Ticks(at));
            Add(insert, "staff", staffId);
            Add(insert, "issued", issued);
            Add(insert, "fees", fees);
            Add(insert, "entries", close.Entries);
            Add(insert, "last", close.LastSequence);
            Add(insert, "head", close.HeadHash);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return close;
    }

    public async Task<DayClose?> FindDayCloseAsync(DateOnly date, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT day, closed_at, staff_id, certificates_issued, fees_yen, entries, last_seq, head_hash FROM day_closes WHERE day = @day");
        Add(command, "day", FormatDate(date));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadClose(reader) : null;
    }

    public async Task<JournalVerification> VerifyJournalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var closes = new Dictionary<DateOnly, DayClose>();
        await using (var list = Command(connection, null, "SELECT day, closed_at, staff_id, certificates_issued, fees_yen, entries, last_seq, head_hash FROM day_closes"))
        {
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var close = ReadClose(reader);
                closes[close.Date] = close;
            }
        }

        var previous = JournalHash.Genesis;
        var counted = new Dictionary<DateOnly, int>();
        var hashAt = new Dictionary<long, string>();
        long checkedCount = 0;
        await using (var command = Command(connection, null, $"SELECT {JournalColumns} FROM journal ORDER BY seq"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = ReadJournalEntry(reader);
                var prev = reader.IsDBNull(10) ? null : reader.GetString(10);
                var hash = reader.IsDBNull(11) ? null : reader.GetString(11);
                checkedCount++;
                if (prev != previous)
                {
                    return Broken(checkedCount, entry.Sequence, $"記録 {entry.Sequence} が直前の記録とつながっていません（記録の削除、入れ替え、または前の記録の書き換え）。");
                }

                if (hash != JournalHash.Compute(previous, entry, entry.Day!.Value))
                {
                    return Broken(checkedCount, entry.Sequence, $"記録 {entry.Sequence} の内容がハッシュと一致しません（書き換え）。");
                }

                if (closes.TryGetValue(entry.Day.Value, out var close) && close.LastSequence > 0 && entry.Sequence > close.LastSequence)
                {
                    return Broken(checkedCount, entry.Sequence, $"記録 {entry.Sequence} は締め済みの {entry.Day.Value:yyyy-MM-dd} の後から加えられています。");
                }

                counted[entry.Day.Value] = counted.GetValueOrDefault(entry.Day.Value) + 1;
                if (closes.Values.Any(c => c.LastSequence == entry.Sequence))
                {
                    hashAt[entry.Sequence] = hash;
                }

                previous = hash;
            }
        }

        foreach (var close in closes.Values.Where(c => c.HeadHash.Length > 0).OrderBy(c => c.Date))
        {
            if (!hashAt.TryGetValue(close.LastSequence, out var head) || head != close.HeadHash)
            {
                return Broken(checkedCount, close.LastSequence, $"{close.Date:yyyy-MM-dd} の締めの封印（記録 {close.LastSequence} のハッシュ）と記録が一致しません（記録の削除または書き換え）。");
            }

            if (counted.GetValueOrDefault(close.Date) != close.Entries)
            {
                return Broken(checkedCount, close.LastSequence, $"{close.Date:yyyy-MM-dd} の記録は締めのとき {close.Entries} 件でしたが、今は {counted.GetValueOrDefault(close.Date)} 件です。");
            }
        }

        return new JournalVerification(true, checkedCount, null, null);

        static JournalVerification Broken(long checkedCount, long sequence, string problem) => new(false, checkedCount, sequence, problem);
    }

    /// <summary>Gives journal rows of before migration 5 their business day and chain hashes, in recording order.</summary>
    private static async Task EnsureJournalChainAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var (_, previous) = await HeadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var rows = new List<JournalEntry>(1000);
            await using (var select = Command(connection, transaction, $"SELECT {JournalColumns} FROM journal WHERE hash IS NULL ORDER BY seq LIMIT 1000"))
            {
                rows.AddRange(await ReadJournalAsync(select, cancellationToken).ConfigureAwait(false));
            }

            if (rows.Count == 0)
            {
                return;
            }

            foreach (var row in rows)
            {
                var day = row.Day ?? JapanTime.ToJapanDate(row.At);
                var hash = JournalHash.Compute(previous, row, day);
                await using var update = Command(connection, transaction, "UPDATE journal SET day = @day, prev_hash = @prev, hash = @hash WHERE seq = @seq");
                Add(update, "day", FormatDate(day));
                Add(update, "prev", previous);
                Add(update, "hash", hash);
                Add(update, "seq", row.Sequence);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                previous = hash;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first day from <paramref name="day"/> on that is not closed.</summary>
    private static async Task<DateOnly> OpenDayAsync(DbConnection connection, DbTransaction transaction, DateOnly day, CancellationToken cancellationToken)
    {
        var closed = new HashSet<DateOnly>();
        await using (var command = Command(connection, transaction, "SELECT day FROM day_closes WHERE day >= @day"))
        {
            Add(command, "day", FormatDate(day));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                closed.Add(ParseDate(reader.GetString(0)));
            }
        }

        while (closed.Contains(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>The journal's last entry number and chain hash (0 and the genesis for an empty chain).</summary>
    private static async Task<(long Sequence, string Hash)> HeadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT seq, hash FROM journal WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.GetInt64(0), reader.GetString(1))
            : (0, JournalHash.Genesis);
    }

    private static async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadJournalEntry(reader));
        }

        return list;
    }

    private static JournalEntry ReadJournalEntry(DbDataReader reader) => new(
        FromTicks(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetString(6), reader.GetString(7), reader.GetInt32(8),
        reader.IsDBNull(9) ? null : ParseDate(reader.GetString(9)),
        reader.GetInt64(0));

    private static DayClose ReadClose(DbDataReader reader) => new(
        ParseDate(reader.GetString(0)), FromTicks(reader.GetInt64(1)), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
        reader.IsDBNull(5) ? 0 : reader.GetInt32(5), reader.IsDBNull(6) ? 0 : reader.GetInt64(6), reader.IsDBNull(7) ? string.Empty : reader.GetString(7));
}
