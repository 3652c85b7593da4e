using System.Globalization;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Jpki.Load.Data;

/// <summary>
/// <c>jpki-load fill-revoked</c>: adds <c>count</c> revoked certificates of one CA straight into the SQLite registry of
/// a prepared data folder, for CRL benchmarks at scale (a million entries in seconds; issuing them through the CA would
/// take hours). Test data only: the rows carry a placeholder instead of a certificate (CRLs read serial, dates, reason
/// and partition), random 16-octet serials, expiries spread over the next five years with the partition the authority
/// would give them, and the next positions of the revocation sequence — so the server's next CRL publication (and its
/// coverage check) includes them. Written with the registry's own schema (migration 3); the server must not be running.
/// </summary>
internal static class RevokedFiller
{
    private const int Batch = 50_000;

    /// <summary>Adds the rows; returns null when done, else why not.</summary>
    public static async Task<string?> RunAsync(string dataDirectory, CertificateKind kind, long count, TimeProvider clock, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!AuthorityFolder.IsInitialized(dataDirectory))
        {
            return $"{dataDirectory} holds no authority: run `jpki-load prepare` first.";
        }

        var location = RegistryFactory.Resolve(dataDirectory, null);
        if (location.Engine != RegistryEngine.Sqlite)
        {
            return "fill-revoked writes SQLite data folders only.";
        }

        var settings = AuthorityFolder.ReadSettings(dataDirectory);
        var months = settings.CrlPartitionMonths;
        await using (var store = await RegistryFactory.OpenAsync(location, clock, migrate: true, cancellationToken).ConfigureAwait(false))
        {
            // Migrated to the current schema by the registry itself; closed before the bulk insert.
        }

        var now = clock.GetUtcNow();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = location.Target, Pooling = false, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long written = 0;
        var placeholder = new byte[] { 0x30, 0x00 };
        while (written < count)
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                long last;
                using (var head = connection.CreateCommand())
                {
                    head.Transaction = transaction;
                    head.CommandText = "SELECT last FROM revocation_sequence WHERE id = 1";
                    last = (long)(await head.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO certificates (serial, kind, card_id, holder_id, not_before, not_after, issued_at, der,
                                              revoked_at, revocation_reason, revocation_recorded_at, crl_partition, revocation_seq)
                    VALUES ($serial, $kind, 'FILL', 'FILL', $nb, $na, $nb, $der, $rat, $reason, $rat, $partition, $seq)
                    """;
                var serial = insert.Parameters.Add("$serial", SqliteType.Text);
                insert.Parameters.AddWithValue("$kind", (int)kind);
                var nb = insert.Parameters.Add("$nb", SqliteType.Integer);
                var na = insert.Parameters.Add("$na", SqliteType.Integer);
                insert.Parameters.Add("$der", SqliteType.Blob).Value = placeholder;
                var rat = insert.Parameters.Add("$rat", SqliteType.Integer);
                var reason = insert.Parameters.Add("$reason", SqliteType.Integer);
                var partition = insert.Parameters.Add("$partition", SqliteType.Integer);
                var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
                insert.Prepare();
                var n = (int)Math.Min(Batch, count - written);
                var random = new byte[16]; // an array: the loop awaits, a stack span cannot live across it
                for (var i = 0; i < n; i++)
                {
                    RandomNumberGenerator.Fill(random);
                    random[0] = (byte)((random[0] & 0x7F) | 0x01);
                    var notAfter = now.AddDays(1 + (RandomNumberGenerator.GetInt32(5 * 365)));
                    serial.Value = Convert.ToHexString(random);
                    nb.Value = Micros(now.AddYears(-1));
                    na.Value = Micros(notAfter);
                    rat.Value = Micros(now.AddDays(-RandomNumberGenerator.GetInt32(300)));
                    reason.Value = RandomNumberGenerator.GetInt32(6) switch { 0 => 0, 1 => 1, 2 => 3, 3 => 4, 4 => 5, _ => 9 };
                    partition.Value = CrlPartitions.Of(notAfter, months);
                    seq.Value = last + i + 1;
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var advance = connection.CreateCommand())
                {
                    advance.Transaction = transaction;
                    advance.CommandText = "UPDATE revocation_sequence SET last = last + $n WHERE id = 1";
                    advance.Parameters.AddWithValue("$n", n);
                    await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                written += n;
            }

            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fill-revoked: {written:N0} / {count:N0} ({System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)")).ConfigureAwait(false);
        }

        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static long Micros(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds() * 1000;
}
