using System.Security.Cryptography;
using Jpki.Authority.Registry;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Jpki.Benchmarks;

/// <summary>Opens empty registries for the benchmarks and bulk-loads revoked certificates behind the store's back.</summary>
internal static class BenchmarkRegistry
{
    public const string PostgresVariable = "JPKI_BENCH_POSTGRES";

    public static (IRegistryStore Store, string? Folder) OpenFresh(RegistryEngine engine)
    {
        if (engine == RegistryEngine.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "jpki-bench-" + Guid.NewGuid().ToString("N")[..12]);
            var location = RegistryFactory.Resolve(folder, environmentOverride: null);
            return (RegistryFactory.OpenAsync(location, TimeProvider.System, migrate: true, CancellationToken.None).GetAwaiter().GetResult(), folder);
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException($"Set {PostgresVariable} to a PostgreSQL connection string: eval \"$(bench/scripts/start-postgres.sh)\".");
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            create.ExecuteNonQuery();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        var pg = RegistryFactory.Resolve(connectionString, environmentOverride: null);
        return (RegistryFactory.OpenAsync(pg, TimeProvider.System, migrate: true, CancellationToken.None).GetAwaiter().GetResult(), schema);
    }

    public static void Close(IRegistryStore store, string? folderOrSchema)
    {
        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (store.Engine == RegistryEngine.Sqlite && folderOrSchema is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folderOrSchema, recursive: true);
        }
        else if (folderOrSchema is not null && Environment.GetEnvironmentVariable(PostgresVariable) is { } server)
        {
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA {folderOrSchema} CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    public static string RandomSerial()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[0] = (byte)((bytes[0] & 0x7F) | 0x10);
        return Convert.ToHexString(bytes);
    }

    /// <summary>
    /// Writes <paramref name="count"/> revoked signature certificates (and a tenth as many unrevoked ones, which the
    /// stream must skip) straight into the tables in serial order, in one transaction / one COPY: the setup, not the
    /// thing measured. The DER is 100 bytes: the stream reads only the covering index, never the certificate.
    /// </summary>
    public static void BulkLoadRevoked(IRegistryStore store, string? folderOrSchema, int count)
    {
        var total = count + (count / 10);
        var serials = Enumerable.Range(0, total).Select(_ => RandomSerial()).Order(StringComparer.Ordinal).ToArray();
        var revoked = new bool[total];
        foreach (var index in Enumerable.Range(0, total).OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).Take(count))
        {
            revoked[index] = true;
        }

        var notBefore = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var notAfter = notBefore.AddYears(5);
        var revokedAt = notBefore.AddMonths(3);
        var der = new byte[100];
        if (store.Engine == RegistryEngine.Sqlite)
        {
            using var connection = new SqliteConnection($"Data Source={store.Description};Pooling=False");
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO certificates (serial, kind, card_id, holder_id, not_before, not_after, issued_at, der, revoked_at, revocation_reason, revocation_recorded_at)
                VALUES ($s, 1, $c, $c, $nb, $na, $nb, $der, $ra, $reason, $ra)
                """;
            var serial = insert.Parameters.Add("$s", SqliteType.Text);
            var card = insert.Parameters.Add("$c", SqliteType.Text);
            insert.Parameters.AddWithValue("$nb", Micros(notBefore));
            insert.Parameters.AddWithValue("$na", Micros(notAfter));
            insert.Parameters.AddWithValue("$der", der);
            var ra = insert.Parameters.Add("$ra", SqliteType.Integer);
            var reason = insert.Parameters.Add("$reason", SqliteType.Integer);
            for (var i = 0; i < total; i++)
            {
                serial.Value = serials[i];
                card.Value = $"C{i}";
                ra.Value = revoked[i] ? Micros(revokedAt) : DBNull.Value;
                reason.Value = revoked[i] ? 1 : DBNull.Value;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return;
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable)!;
        using var pg = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { SearchPath = folderOrSchema }.ConnectionString);
        pg.Open();
        using (var writer = pg.BeginBinaryImport(
            "COPY certificates (serial, kind, card_id, holder_id, not_before, not_after, issued_at, der, revoked_at, revocation_reason, revocation_recorded_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < total; i++)
            {
                writer.StartRow();
                writer.Write(serials[i], NpgsqlDbType.Text);
                writer.Write((short)1, NpgsqlDbType.Smallint);
                writer.Write($"C{i}", NpgsqlDbType.Text);
                writer.Write($"C{i}", NpgsqlDbType.Text);
                writer.Write(notBefore, NpgsqlDbType.TimestampTz);
                writer.Write(notAfter, NpgsqlDbType.TimestampTz);
                writer.Write(notBefore, NpgsqlDbType.TimestampTz);
                writer.Write(der, NpgsqlDbType.Bytea);
                if (revoked[i])
                {
                    writer.Write(revokedAt, NpgsqlDbType.TimestampTz);
                    writer.Write((short)1, NpgsqlDbType.Smallint);
                    writer.Write(revokedAt, NpgsqlDbType.TimestampTz);
                }
                else
                {
                    writer.WriteNull();
                    writer.WriteNull();
                    writer.WriteNull();
                }
            }

            writer.Complete();
        }

        using var analyze = new NpgsqlCommand("VACUUM ANALYZE certificates", pg);
        analyze.ExecuteNonQuery();
    }

    private static long Micros(DateTimeOffset value) => (value - DateTimeOffset.UnixEpoch).Ticks / 10;
}
