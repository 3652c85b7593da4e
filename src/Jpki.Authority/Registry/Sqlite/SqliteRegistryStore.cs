using Jpki.Core.Storage;
using System.Runtime.CompilerServices;
using Jpki.Authority.Audit;
using Jpki.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Jpki.Authority.Registry.Sqlite;

/// <summary>
/// The embedded registry: one SQLite file (<c>registry.db</c> in the data folder) in WAL mode with
/// <c>synchronous=FULL</c>, so that a returned write survives a power cut. One writer connection behind a queue
/// (<see cref="SqliteWriter"/>: group commit, <c>BEGIN IMMEDIATE</c> so that other processes wait on the file lock)
/// and pooled read-only connections for lookups and streams, which WAL lets run beside the writer.
/// </summary>
internal sealed partial class SqliteRegistryStore : IRegistryStore
{
    private const string CertificateColumns =
        "serial, kind, card_id, holder_id, not_before, not_after, issued_at, previous_serial, der, revoked_at, revocation_reason, revocation_recorded_at, crl_partition, request_id, request_digest";

    private const int SqliteConstraint = 19;

    private readonly string _readerConnectionString;
    private readonly SqliteConnection _writerConnection;
    private readonly SqliteWriter _writer;
    private readonly TimeProvider _clock;

    private SqliteRegistryStore(string path, string readerConnectionString, SqliteConnection writerConnection, TimeProvider clock)
    {
        Description = path;
        _readerConnectionString = readerConnectionString;
        _writerConnection = writerConnection;
        _writer = new SqliteWriter(writerConnection);
        _clock = clock;
    }

    public RegistryEngine Engine => RegistryEngine.Sqlite;

    public string Description { get; }

    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/>. Call <see cref="MigrateAsync(CancellationToken)"/> next.</summary>
    public static async Task<SqliteRegistryStore> OpenAsync(string path, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(clock);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            PrivateFiles.CreateFolder(directory);
        }

        PrivateFiles.EnsureDatabaseFile(fullPath);

        var writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        var readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        var writer = new SqliteConnection(writerConnectionString);
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            using (var pragma = writer.CreateCommand())
            {
                // WAL: readers never block the writer. FULL: the WAL is fsynced at every commit, so an acknowledged
                // issuance or revocation is durable (NORMAL would only be safe against a process crash).
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new SqliteRegistryStore(fullPath, readerConnectionString, writer, clock);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="targetVersion"/> (tests use this to build an older schema).</summary>
    internal Task MigrateAsync(int targetVersion, CancellationToken cancellationToken) =>
        _writer.ExecuteAsync(connection =>
        {
            Execute(connection, SqliteMigrations.CreateVersionTable);
            var current = CurrentVersion(connection);
            foreach (var migration in SqliteMigrations.All)
            {
                if (migration.Version <= current || migration.Version > targetVersion)
                {
                    continue;
                }

                Execute(connection, migration.Sql);
                using var record = connection.CreateCommand();
                record.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $t)";
                record.Parameters.AddWithValue("$v", migration.Version);
                record.Parameters.AddWithValue("$n", migration.Name);
                record.Parameters.AddWithValue("$t", StoreTime.ToUnixMicroseconds(_clock.GetUtcNow()));
                record.ExecuteNonQuery();
            }

            return 0;
        }, cancellationToken);

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }

            return CurrentVersion(connection);
        }
    }

    public Task AddAsync(CertificateRecord record, CancellationToken cancellationToken)
    {
        RegistryArguments.Record(record);
        return _writer.ExecuteAsync(connection =>
        {
            InsertCertificate(connection, record);
            return 0;
        }, cancellationToken);
    }

    public Task<long> AddWithAuditAsync(CertificateRecord record, AuditEntry entry, CancellationToken cancellationToken)
    {
        RegistryArguments.Record(record);
        RegistryArguments.Entry(entry);

        // One work item = one savepoint inside the writer's group-commit transaction: a duplicate serial rolls back
        // the insert before the entry is chained, and the caller is acknowledged after the shared commit.
        return _writer.ExecuteAsync(connection =>
        {
            InsertCertificate(connection, record);
            return AppendAudit(connection, entry);
        }, cancellationToken);
    }

    public async Task<CertificateRecord?> FindByRequestIdAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var found = await QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE request_id = $p", requestId, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IssuanceRefusal?> FindRefusalAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return ReadRefusal(connection, requestId);
        }
    }

    public Task<IssuanceRefusal> RecordRefusalAsync(IssuanceRefusal refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return _writer.ExecuteAsync(connection =>
        {
            using (var insert = connection.CreateCommand())
            {
                insert.CommandText = """
                    INSERT INTO issuance_refusals (request_id, request_digest, actor, code, field, detail, refused_at)
                    VALUES ($id, $digest, $actor, $code, $field, $detail, $at)
                    ON CONFLICT (request_id) DO NOTHING
                    """;
                insert.Parameters.AddWithValue("$id", refusal.Request.RequestId);
                insert.Parameters.Add("$digest", SqliteType.Blob).Value = refusal.Request.Digest.ToArray();
                insert.Parameters.AddWithValue("$actor", refusal.Actor);
                insert.Parameters.AddWithValue("$code", refusal.Code);
                insert.Parameters.AddWithValue("$field", (object?)refusal.Field ?? DBNull.Value);
                insert.Parameters.AddWithValue("$detail", refusal.Detail);
                insert.Parameters.AddWithValue("$at", StoreTime.ToUnixMicroseconds(refusal.RefusedAt));
                insert.ExecuteNonQuery();
            }

            return ReadRefusal(connection, refusal.Request.RequestId)!;
        }, cancellationToken);
    }

    private static IssuanceRefusal? ReadRefusal(SqliteConnection connection, string requestId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, request_digest, actor, code, field, detail, refused_at FROM issuance_refusals WHERE request_id = $id";
        command.Parameters.AddWithValue("$id", requestId);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new IssuanceRefusal(
                new IssuanceRequestKey(reader.GetString(0), (byte[])reader.GetValue(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                StoreTime.FromUnixMicroseconds(reader.GetInt64(6)))
            : null;
    }

    public async Task<CertificateRecord?> FindBySerialAsync(string serialHex, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        var found = await QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE serial = $p", serialHex, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<CertificateRecord>> FindByCardAsync(string cardId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cardId);
        return QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE card_id = $p ORDER BY issued_at, serial", cardId, cancellationToken);
    }

    public Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holderId);
        return QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE holder_id = $p ORDER BY issued_at, serial", holderId, cancellationToken);
    }

    public Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        RegistryArguments.Reason(reason, nameof(reason));
        return _writer.ExecuteAsync(connection => Revoke(connection, serialHex, reason, revokedAt, recordedAt), cancellationToken);
    }

    public Task<RevokeResult> RevokeWithAuditAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, AuditEntry entry, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        RegistryArguments.Reason(reason, nameof(reason));
        RegistryArguments.Entry(entry);
        return _writer.ExecuteAsync(connection =>
        {
            var result = Revoke(connection, serialHex, reason, revokedAt, recordedAt);
            if (result == RevokeResult.Revoked)
            {
                AppendAudit(connection, entry);
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>
    /// Revokes inside the writer's transaction: the certificate takes the next position of the revocation sequence
    /// (the single writer makes that commit order), its stored OCSP answers are deleted (a good one must not outlive the
    /// revocation), and other processes learn of it by polling the sequence.
    /// </summary>
    private static RevokeResult Revoke(SqliteConnection connection, string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt)
    {
        using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE certificates SET revoked_at = $at, revocation_reason = $reason, revocation_recorded_at = $rec,
                revocation_seq = (SELECT last + 1 FROM revocation_sequence WHERE id = 1)
            WHERE serial = $serial AND revoked_at IS NULL
            """;
        update.Parameters.AddWithValue("$at", StoreTime.ToUnixMicroseconds(revokedAt));
        update.Parameters.AddWithValue("$reason", (int)reason);
        update.Parameters.AddWithValue("$rec", StoreTime.ToUnixMicroseconds(recordedAt));
        update.Parameters.AddWithValue("$serial", serialHex);
        if (update.ExecuteNonQuery() == 1)
        {
            using var advance = connection.CreateCommand();
            advance.CommandText = "UPDATE revocation_sequence SET last = last + 1 WHERE id = 1; DELETE FROM ocsp_responses WHERE serial = $serial;";
            advance.Parameters.AddWithValue("$serial", serialHex);
            advance.ExecuteNonQuery();
            return RevokeResult.Revoked;
        }

        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT 1 FROM certificates WHERE serial = $serial";
        exists.Parameters.AddWithValue("$serial", serialHex);
        return exists.ExecuteScalar() is null ? RevokeResult.NotFound : RevokeResult.AlreadyRevoked;
    }

    public IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(CertificateKind kind, DateTimeOffset at, CancellationToken cancellationToken)
        => StreamRevokedAsync(new RevokedQuery(kind, at), cancellationToken);

    public async IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(RevokedQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        RegistryArguments.Kind(query.Kind, nameof(query));
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();

            // The full stream reads the covering index in serial order; a partition, or every partition in turn, reads
            // the partition index; a delta (a range of the sequence) lets the planner start from the sequence index.
            var index = query.SequenceAfter is not null ? string.Empty
                : query.Partition is not null || query.OrderByPartition ? "INDEXED BY ix_certificates_revoked_partition" : "INDEXED BY ix_certificates_revoked";
            command.CommandText = $"""
                SELECT serial, revoked_at, revocation_reason, crl_partition, revocation_seq FROM certificates {index}
                WHERE kind = $kind AND revoked_at IS NOT NULL AND not_after >= $at
                {(query.Partition is not null ? "AND crl_partition = $partition" : string.Empty)}
                {(query.SequenceAfter is not null ? "AND revocation_seq > $after" : string.Empty)}
                {(query.SequenceUpTo is not null ? "AND revocation_seq <= $upto" : string.Empty)}
                ORDER BY {(query.OrderByPartition ? "crl_partition, serial" : "serial")}
                """;
            command.Parameters.AddWithValue("$kind", (int)query.Kind);
            command.Parameters.AddWithValue("$at", StoreTime.ToUnixMicroseconds(query.NotAfterFrom));
            command.Parameters.AddWithValue("$partition", query.Partition ?? 0);
            command.Parameters.AddWithValue("$after", query.SequenceAfter ?? 0);
            command.Parameters.AddWithValue("$upto", query.SequenceUpTo ?? 0);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return new RevokedEntry(
                        reader.GetString(0),
                        StoreTime.FromUnixMicroseconds(reader.GetInt64(1)),
                        (RevocationReason)reader.GetInt32(2),
                        reader.GetInt32(3),
                        reader.IsDBNull(4) ? 0 : reader.GetInt64(4));
                }
            }
        }
    }

    public async Task<long> GetRevocationCursorAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadCursorAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<RevocationChange>> ReadRevocationsAfterAsync(long cursor, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT revocation_seq, serial, kind, crl_partition FROM certificates
                WHERE revocation_seq > $cursor ORDER BY revocation_seq LIMIT $limit
                """;
            command.Parameters.AddWithValue("$cursor", cursor);
            command.Parameters.AddWithValue("$limit", limit);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var changes = new List<RevocationChange>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    changes.Add(new RevocationChange(reader.GetInt64(0), reader.GetString(1), (CertificateKind)reader.GetInt32(2), reader.GetInt32(3)));
                }

                return changes;
            }
        }
    }

    private static async Task<long> ReadCursorAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT last FROM revocation_sequence WHERE id = 1";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long last ? last : 0;
    }

    public Task<long> NextCrlNumberAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        RegistryArguments.Kind(kind, nameof(kind));
        return _writer.ExecuteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO crl_numbers (kind, last_number) VALUES ($kind, 1)
                ON CONFLICT (kind) DO UPDATE SET last_number = last_number + 1
                RETURNING last_number
                """;
            command.Parameters.AddWithValue("$kind", (int)kind);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _writerConnection.DisposeAsync().ConfigureAwait(false);
        using var pooled = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static void InsertCertificate(SqliteConnection connection, CertificateRecord record)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO certificates ({CertificateColumns}) VALUES ($serial, $kind, $card, $holder, $nb, $na, $issued, $prev, $der, $rat, $reason, $rec, $partition, $request, $digest)";
        command.Parameters.AddWithValue("$serial", record.SerialHex);
        command.Parameters.AddWithValue("$kind", (int)record.Kind);
        command.Parameters.AddWithValue("$card", record.CardId);
        command.Parameters.AddWithValue("$holder", record.HolderId);
        command.Parameters.AddWithValue("$nb", StoreTime.ToUnixMicroseconds(record.NotBefore));
        command.Parameters.AddWithValue("$na", StoreTime.ToUnixMicroseconds(record.NotAfter));
        command.Parameters.AddWithValue("$issued", StoreTime.ToUnixMicroseconds(record.IssuedAt));
        command.Parameters.AddWithValue("$prev", (object?)record.PreviousSerialHex ?? DBNull.Value);
        command.Parameters.Add("$der", SqliteType.Blob).Value = record.Der.ToArray();
        command.Parameters.AddWithValue("$rat", record.Revocation is { } r1 ? StoreTime.ToUnixMicroseconds(r1.RevokedAt) : DBNull.Value);
        command.Parameters.AddWithValue("$reason", record.Revocation is { } r2 ? (int)r2.Reason : DBNull.Value);
        command.Parameters.AddWithValue("$rec", record.Revocation is { } r3 ? StoreTime.ToUnixMicroseconds(r3.RecordedAt) : DBNull.Value);
        command.Parameters.AddWithValue("$partition", record.CrlPartition);
        command.Parameters.AddWithValue("$request", (object?)record.Request?.RequestId ?? DBNull.Value);
        command.Parameters.Add("$digest", SqliteType.Blob).Value = record.Request is { } request ? request.Digest.ToArray() : DBNull.Value;
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && IsSerialConflict(ex))
        {
            throw new DuplicateSerialException($"A certificate with serial {record.SerialHex} is already registered.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && ex.Message.Contains("certificates.request_id", StringComparison.Ordinal))
        {
            throw new DuplicateIssuanceRequestException($"A certificate was already issued under request id {record.Request!.RequestId}.", ex);
        }
    }

    private static bool IsSerialConflict(SqliteException ex) =>
        ex.Message.Contains("certificates.serial", StringComparison.Ordinal);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static CertificateRecord ReadRecord(SqliteDataReader reader) => new(
        reader.GetString(0),
        (CertificateKind)reader.GetInt32(1),
        reader.GetString(2),
        reader.GetString(3),
        StoreTime.FromUnixMicroseconds(reader.GetInt64(4)),
        StoreTime.FromUnixMicroseconds(reader.GetInt64(5)),
        StoreTime.FromUnixMicroseconds(reader.GetInt64(6)),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        (byte[])reader.GetValue(8),
        reader.IsDBNull(9)
            ? null
            : new RevocationInfo(
                StoreTime.FromUnixMicroseconds(reader.GetInt64(9)),
                (RevocationReason)reader.GetInt32(10),
                StoreTime.FromUnixMicroseconds(reader.GetInt64(11))))
    {
        CrlPartition = reader.GetInt32(12),
        Request = reader.IsDBNull(13) ? null : new IssuanceRequestKey(reader.GetString(13), (byte[])reader.GetValue(14)),
    };

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readerConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<IReadOnlyList<CertificateRecord>> QueryRecordsAsync(string sql, string parameter, CancellationToken cancellationToken)
    {
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$p", parameter);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var records = new List<CertificateRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    records.Add(ReadRecord(reader));
                }

                return records;
            }
        }
    }
}
