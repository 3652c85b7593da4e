using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Registry;
using Npgsql;
using NpgsqlTypes;

namespace Jpki.Load.Data;

/// <summary>
/// <c>jpki-load fill-registry</c>: fills a PostgreSQL registry with <c>count</c> certificates of both CAs through
/// <c>COPY … FROM STDIN (FORMAT BINARY)</c> — national-scale test data (issue 17: 100,000,000 certificates) in hours
/// instead of the weeks issuing through the CA would take. Test data only: each row carries random bytes of a real
/// certificate's length instead of a certificate (1,650 octets for signature certificates, which hold name and address,
/// 1,250 for authentication certificates: what our CAs issue), random 16-octet serials, issuance spread over the last
/// five years with the validity and CRL partition the authority would give, and <c>revoked‰</c> of them revoked with
/// the next positions of the revocation sequence — so CRL publication, its coverage check, OCSP look-ups and the disk
/// figures see national-scale tables. The rows have no audit entries: <c>audit verify</c> reports the registry
/// disagreeing, as it must. The schema is the registry's own (opened and migrated first); servers may run meanwhile.
/// </summary>
internal static class RegistryFiller
{
    private const int SignDerLength = 1_650;
    private const int AuthDerLength = 1_250;
    private const int RowsPerCopy = 1_000_000;

    /// <summary>Adds the rows; returns null when done, else why not.</summary>
    public static async Task<string?> RunAsync(string dataDirectory, string? registry, long count, int revokedPerMille, bool placeholder, bool rebuildIndexes, TimeProvider clock, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var location = RegistryFactory.Resolve(dataDirectory, registry);
        if (location.Engine != RegistryEngine.Postgres)
        {
            return "fill-registry writes PostgreSQL registries (give --registry or JPKI_REGISTRY); for SQLite data folders use fill-revoked.";
        }

        var months = AuthorityFolder.IsInitialized(dataDirectory) ? AuthorityFolder.ReadSettings(dataDirectory).CrlPartitionMonths : 1;
        await using (var store = await RegistryFactory.OpenAsync(location, clock, migrate: true, cancellationToken).ConfigureAwait(false))
        {
            // Migrated to the current schema by the registry itself; closed before the bulk load.
        }

        await using var connection = new NpgsqlConnection(location.Target);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var before = await SizeAsync(connection, cancellationToken).ConfigureAwait(false);
        var rowsBefore = await ScalarAsync<long>(connection, "SELECT count(*) FROM certificates", cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<(string Name, string Definition)> dropped = [];
        if (rebuildIndexes)
        {
            // Every index a random 16-octet serial lands in at a random place makes COPY slower as the table grows (24,000
            // rows/s at the start, 4,000 at 6,000,000 rows on 2 cores): drop the secondary indexes, load, build them once.
            dropped = await DropSecondaryIndexesAsync(connection, log, cancellationToken).ConfigureAwait(false);
        }

        long written = 0;
        long revoked = 0;
        // --placeholder: two octets per row, for CRL runs where only the revocation columns matter (disk figures then mean nothing).
        var signDer = new byte[placeholder ? 2 : SignDerLength];
        var authDer = new byte[placeholder ? 2 : AuthDerLength];
        var serial = new byte[16];
        while (written < count)
        {
            var n = Math.Min(RowsPerCopy, count - written);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // The revocation sequence is taken for the whole batch at once: its row lock keeps concurrent revocations after it.
            var last = await ScalarAsync<long>(connection, "SELECT last FROM revocation_sequence WHERE id = 1 FOR UPDATE", cancellationToken).ConfigureAwait(false);
            long batchRevoked = 0;
            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY certificates (serial, kind, card_id, holder_id, not_before, not_after, issued_at, der, revoked_at, revocation_reason, revocation_recorded_at, crl_partition, revocation_seq) FROM STDIN (FORMAT BINARY)",
                cancellationToken).ConfigureAwait(false))
            {
                for (long i = 0; i < n; i++)
                {
                    var row = rowsBefore + written + i;
                    var sign = (row & 1) == 0;
                    RandomNumberGenerator.Fill(serial);
                    serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
                    var der = sign ? signDer : authDer;
                    if (!placeholder)
                    {
                        RandomNumberGenerator.Fill(der);
                    }

                    der[0] = 0x30;
                    var issued = now.AddSeconds(-RandomNumberGenerator.GetInt32(5 * 365 * 86_400));
                    var notAfter = issued.AddYears(5);
                    var isRevoked = RandomNumberGenerator.GetInt32(1000) < revokedPerMille;
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(Convert.ToHexString(serial), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync((short)(sign ? 1 : 2), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"FILL-C{row}"), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"FILL-H{row >> 1}"), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(issued.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(notAfter.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(issued.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(der, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                    if (isRevoked)
                    {
                        var at = issued.AddSeconds(RandomNumberGenerator.GetInt32((int)Math.Max(1, Math.Min(int.MaxValue, (now - issued).TotalSeconds))));
                        batchRevoked++;
                        await importer.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync((short)(RandomNumberGenerator.GetInt32(4) switch { 0 => 0, 1 => 1, 2 => 3, _ => 4 }), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                        await importer.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await importer.WriteAsync(CrlPartitions.Of(notAfter, months), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    if (isRevoked)
                    {
                        await importer.WriteAsync(last + batchRevoked, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var advance = new NpgsqlCommand("UPDATE revocation_sequence SET last = last + $1 WHERE id = 1", connection, transaction))
            {
                advance.Parameters.Add(new NpgsqlParameter { Value = batchRevoked });
                await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            written += n;
            revoked += batchRevoked;
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"fill-registry: {written:N0} / {count:N0} ({revoked:N0} revoked) in {seconds:F1} s, {written / seconds:N0} rows/s")).ConfigureAwait(false);
        }

        if (dropped.Count > 0)
        {
            var building = Stopwatch.GetTimestamp();
            await using (var memory = new NpgsqlCommand("SET maintenance_work_mem = '1GB'", connection))
            {
                await memory.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var (name, definition) in dropped)
            {
                await using var create = new NpgsqlCommand(definition, connection) { CommandTimeout = 0 };
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await log.WriteLineAsync($"fill-registry: index {name} built again").ConfigureAwait(false);
            }

            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"fill-registry: {dropped.Count} indexes built in {Stopwatch.GetElapsedTime(building).TotalSeconds:F1} s; {(rowsBefore + written) / Stopwatch.GetElapsedTime(started).TotalSeconds:N0} rows/s with them")).ConfigureAwait(false);
        }

        // VACUUM, not only ANALYZE: rows written by COPY are not yet all-visible, so the CRL queries could not use their
        // covering indexes as index-only scans (a 1,000-entry partition took 67 ms instead of 6 until autovacuum came by).
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) certificates", connection) { CommandTimeout = 0 })
        {
            await vacuum.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var after = await SizeAsync(connection, cancellationToken).ConfigureAwait(false);
        var total = rowsBefore + written;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"fill-registry: table certificates now {total:N0} rows; on disk {after.Table / 1048576.0:N0} MiB heap+TOAST and {after.Indexes / 1048576.0:N0} MiB indexes " +
            $"= {(after.Table + after.Indexes) / 1048576.0 / (total / 1e6):N0} MiB per million certificates (this fill added {(after.Table + after.Indexes - before.Table - before.Indexes) / 1048576.0:N0} MiB)")).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Drops the indexes of <c>certificates</c> that back no constraint and returns their definitions (also written to
    /// <paramref name="log"/>, so an interrupted fill can be repaired by hand).
    /// </summary>
    private static async Task<IReadOnlyList<(string Name, string Definition)>> DropSecondaryIndexesAsync(NpgsqlConnection connection, TextWriter log, CancellationToken cancellationToken)
    {
        var indexes = new List<(string, string)>();
        await using (var list = new NpgsqlCommand("""
            SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = 'certificates' AND t.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, definition) in indexes)
        {
            await log.WriteLineAsync($"fill-registry: dropping {name} for the load; to restore it by hand: {definition};").ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP INDEX \"{name}\"", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return indexes;
    }

    private static async Task<(long Table, long Indexes)> SizeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_table_size('certificates'), pg_indexes_size('certificates')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
