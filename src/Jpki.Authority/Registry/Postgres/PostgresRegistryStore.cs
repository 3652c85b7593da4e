using System.Data.Common;
using System.Runtime.CompilerServices;
using Jpki.Authority.Audit;
using Jpki.Core.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// The registry on a PostgreSQL server (Npgsql, one pooled <see cref="NpgsqlDataSource"/>). Every change is one
/// committed statement or transaction (the server's <c>synchronous_commit</c> decides durability: keep it on).
/// Serials collide on the primary key (23505 → <see cref="DuplicateSerialException"/>); revocation is one conditional
/// UPDATE, so a revoked certificate is never un-revoked even when two revocations race.
/// </summary>
internal sealed partial class PostgresRegistryStore : IRegistryStore
{
    private const string CertificateColumns =
        "serial, kind, card_id, holder_id, not_before, not_after, issued_at, previous_serial, der, revoked_at, revocation_reason, revocation_recorded_at, crl_partition, request_id, request_digest";

    private const string UniqueViolation = "23505";

    /// <summary>
    /// Takes the revocation sequence's row lock: every revocation holds it until its commit, so positions are assigned
    /// in commit order and a reader that sees position n has every revocation up to n.
    /// </summary>
    private const string LockSequenceSql = "SELECT last FROM revocation_sequence WHERE id = 1 FOR UPDATE";

    /// <summary>Revokes if not yet revoked, at the next sequence position; answers (rows updated, rows with that serial).</summary>
    private const string RevokeSql = """
        WITH updated AS (
            UPDATE certificates SET revoked_at = $1, revocation_reason = $2, revocation_recorded_at = $3,
                revocation_seq = (SELECT last + 1 FROM revocation_sequence WHERE id = 1)
            WHERE serial = $4 AND revoked_at IS NULL
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM updated), (SELECT count(*) FROM certificates WHERE serial = $4)
        """;

    /// <summary>
    /// After a revocation in the same transaction: advances the sequence, deletes the certificate's stored OCSP answers
    /// and notifies the listeners (delivered at commit). Changes nothing when the revocation updated nothing.
    /// </summary>
    private const string AfterRevokeSql = $"""
        WITH bumped AS (
            UPDATE revocation_sequence SET last = last + 1
            WHERE id = 1 AND EXISTS (SELECT 1 FROM certificates WHERE serial = $1 AND revocation_seq = revocation_sequence.last + 1)
            RETURNING last
        ), gone AS (
            DELETE FROM ocsp_responses WHERE serial = $1 AND EXISTS (SELECT 1 FROM bumped)
        )
        SELECT pg_notify('{PostgresMigrations.ChangeChannel}', 'revocation ' || last::text) FROM bumped
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresAuditWriter _auditWriter;
    private readonly TimeProvider _clock;

    private PostgresRegistryStore(NpgsqlDataSource dataSource, string description, TimeProvider clock)
    {
        _dataSource = dataSource;
        _auditWriter = new PostgresAuditWriter(dataSource);
        Description = description;
        _clock = clock;
    }

    public RegistryEngine Engine => RegistryEngine.Postgres;

    public string Description { get; }

    /// <summary>Creates the store over <paramref name="connectionString"/> (no connection is made yet).</summary>
    public static PostgresRegistryStore Open(string connectionString, string description, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(clock);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            // The same few statements run millions of times: let Npgsql prepare them server-side.
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        return new PostgresRegistryStore(NpgsqlDataSource.Create(builder), description, clock);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="targetVersion"/> under an advisory lock, in one transaction.</summary>
    internal async Task MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresMigrations.MigrationLock})", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, PostgresMigrations.CreateVersionTable, cancellationToken).ConfigureAwait(false);
                var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
                foreach (var migration in PostgresMigrations.All)
                {
                    if (migration.Version <= current || migration.Version > targetVersion)
                    {
                        continue;
                    }

                    await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
                    await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)", connection);
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                    record.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = StoreTime.Truncate(_clock.GetUtcNow()) });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return 0;
            }

            return await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    internal const string InsertCertificateSql =
        $"INSERT INTO certificates ({CertificateColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

    public async Task AddAsync(CertificateRecord record, CancellationToken cancellationToken)
    {
        RegistryArguments.Record(record);
        await using var command = _dataSource.CreateCommand(InsertCertificateSql);
        AddCertificateParameters(command.Parameters, record);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.ConstraintName == "certificates_pkey")
        {
            throw new DuplicateSerialException($"A certificate with serial {record.SerialHex} is already registered.", ex);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.ConstraintName == "ix_certificates_request_id")
        {
            throw new DuplicateIssuanceRequestException($"A certificate was already issued under request id {record.Request!.RequestId}.", ex);
        }
    }

    public Task<long> AddWithAuditAsync(CertificateRecord record, AuditEntry entry, CancellationToken cancellationToken)
    {
        RegistryArguments.Record(record);
        RegistryArguments.Entry(entry);
        return _auditWriter.AddWithAuditAsync(record, entry, cancellationToken);
    }

    /// <summary>The fifteen parameters of <see cref="InsertCertificateSql"/>.</summary>
    internal static void AddCertificateParameters(NpgsqlParameterCollection parameters, CertificateRecord record)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.SerialHex });
        parameters.Add(new NpgsqlParameter<short> { TypedValue = checked((short)record.Kind) });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.CardId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.HolderId });
        parameters.Add(Instant(record.NotBefore));
        parameters.Add(Instant(record.NotAfter));
        parameters.Add(Instant(record.IssuedAt));
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)record.PreviousSerialHex ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = record.Der });
        parameters.Add(NullableInstant(record.Revocation?.RevokedAt));
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = record.Revocation is { } r ? (short)r.Reason : DBNull.Value });
        parameters.Add(NullableInstant(record.Revocation?.RecordedAt));
        parameters.Add(new NpgsqlParameter<int> { TypedValue = record.CrlPartition });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)record.Request?.RequestId ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = record.Request is { } request ? request.Digest.ToArray() : DBNull.Value });
    }

    public async Task<CertificateRecord?> FindByRequestIdAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var found = await QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE request_id = $1", requestId, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IssuanceRefusal?> FindRefusalAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        await using var command = _dataSource.CreateCommand(
            "SELECT request_id, request_digest, actor, code, field, detail, refused_at FROM issuance_refusals WHERE request_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestId });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new IssuanceRefusal(
                    new IssuanceRequestKey(reader.GetString(0), reader.GetFieldValue<byte[]>(1)),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6))
                : null;
        }
    }

    public async Task<IssuanceRefusal> RecordRefusalAsync(IssuanceRefusal refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        await using (var command = _dataSource.CreateCommand("""
            INSERT INTO issuance_refusals (request_id, request_digest, actor, code, field, detail, refused_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO NOTHING
            """))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = refusal.Request.RequestId });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = refusal.Request.Digest.ToArray() });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = refusal.Actor });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = refusal.Code });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)refusal.Field ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = refusal.Detail });
            command.Parameters.Add(Instant(refusal.RefusedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await FindRefusalAsync(refusal.Request.RequestId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The refusal just recorded is not in the registry.");
    }

    public async Task<CertificateRecord?> FindBySerialAsync(string serialHex, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        var found = await QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE serial = $1", serialHex, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<CertificateRecord>> FindByCardAsync(string cardId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cardId);
        return QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE card_id = $1 ORDER BY issued_at, serial", cardId, cancellationToken);
    }

    public Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holderId);
        return QueryRecordsAsync($"SELECT {CertificateColumns} FROM certificates WHERE holder_id = $1 ORDER BY issued_at, serial", holderId, cancellationToken);
    }

    public async Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        RegistryArguments.Reason(reason, nameof(reason));

        // One batch, one implicit transaction: the sequence lock, the conditional update (the row lock makes a racing
        // second revocation re-check "revoked_at IS NULL" and update nothing), then the sequence, OCSP store and NOTIFY.
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                AddRevokeCommands(batch, serialHex, reason, revokedAt, recordedAt);
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    return ReadRevokeResult(reader);
                }
            }
        }
    }

    public IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(CertificateKind kind, DateTimeOffset at, CancellationToken cancellationToken)
        => StreamRevokedAsync(new RevokedQuery(kind, at), cancellationToken);

    public async IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(RevokedQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        RegistryArguments.Kind(query.Kind, nameof(query));
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var sql = new System.Text.StringBuilder("""
                SELECT serial, revoked_at, revocation_reason, crl_partition, revocation_seq FROM certificates
                WHERE kind = $1 AND revoked_at IS NOT NULL AND not_after >= $2
                """);
            await using var command = new NpgsqlCommand { Connection = connection };
            command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)query.Kind });
            command.Parameters.Add(Instant(query.NotAfterFrom));
            void Condition(string clause, NpgsqlParameter parameter)
            {
                command.Parameters.Add(parameter);
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $" AND {clause} ${command.Parameters.Count}");
            }

            if (query.Partition is { } partition)
            {
                Condition("crl_partition =", new NpgsqlParameter<int> { TypedValue = partition });
            }

            if (query.SequenceAfter is { } after)
            {
                Condition("revocation_seq >", new NpgsqlParameter<long> { TypedValue = after });
            }

            if (query.SequenceUpTo is { } upTo)
            {
                Condition("revocation_seq <=", new NpgsqlParameter<long> { TypedValue = upTo });
            }

            command.CommandText = sql.Append(query.OrderByPartition ? " ORDER BY crl_partition, serial" : " ORDER BY serial").ToString();

            // Npgsql reads rows off the socket as the caller consumes them: memory does not grow with the result.
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return new RevokedEntry(
                        reader.GetString(0),
                        reader.GetFieldValue<DateTimeOffset>(1),
                        (RevocationReason)reader.GetInt16(2),
                        reader.GetInt32(3),
                        reader.IsDBNull(4) ? 0 : reader.GetInt64(4));
                }
            }
        }
    }

    public async Task<long> GetRevocationCursorAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT last FROM revocation_sequence WHERE id = 1");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long last ? last : 0;
    }

    public async Task<IReadOnlyList<RevocationChange>> ReadRevocationsAfterAsync(long cursor, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = _dataSource.CreateCommand("""
            SELECT revocation_seq, serial, kind, crl_partition FROM certificates
            WHERE revocation_seq > $1 ORDER BY revocation_seq LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cursor });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var changes = new List<RevocationChange>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changes.Add(new RevocationChange(reader.GetInt64(0), reader.GetString(1), (CertificateKind)reader.GetInt16(2), reader.GetInt32(3)));
            }

            return changes;
        }
    }

    public async Task<long> NextCrlNumberAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        RegistryArguments.Kind(kind, nameof(kind));
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO crl_numbers AS c (kind, last_number) VALUES ($1, 1)
            ON CONFLICT (kind) DO UPDATE SET last_number = c.last_number + 1
            RETURNING last_number
            """);
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopListeningAsync().ConfigureAwait(false);
        await _auditWriter.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Adds the three revocation commands to <paramref name="batch"/>; the second's single row is the result.</summary>
    private static void AddRevokeCommands(NpgsqlBatch batch, string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockSequenceSql));
        var revoke = new NpgsqlBatchCommand(RevokeSql);
        AddRevokeParameters(revoke.Parameters, serialHex, reason, revokedAt, recordedAt);
        batch.BatchCommands.Add(revoke);
        var after = new NpgsqlBatchCommand(AfterRevokeSql);
        after.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serialHex });
        batch.BatchCommands.Add(after);
    }

    private static void AddRevokeParameters(NpgsqlParameterCollection parameters, string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt)
    {
        parameters.Add(Instant(revokedAt));
        parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)reason });
        parameters.Add(Instant(recordedAt));
        parameters.Add(new NpgsqlParameter<string> { TypedValue = serialHex });
    }

    private static RevokeResult ReadRevokeResult(DbDataReader reader) =>
        reader.GetInt64(0) == 1 ? RevokeResult.Revoked : reader.GetInt64(1) == 0 ? RevokeResult.NotFound : RevokeResult.AlreadyRevoked;

    private static NpgsqlParameter<DateTimeOffset> Instant(DateTimeOffset value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = StoreTime.Truncate(value) };

    private static NpgsqlParameter NullableInstant(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? StoreTime.Truncate(v) : DBNull.Value };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static CertificateRecord ReadRecord(DbDataReader reader) => new(
        reader.GetString(0),
        (CertificateKind)reader.GetInt16(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetFieldValue<byte[]>(8),
        reader.IsDBNull(9)
            ? null
            : new RevocationInfo(
                reader.GetFieldValue<DateTimeOffset>(9),
                (RevocationReason)reader.GetInt16(10),
                reader.GetFieldValue<DateTimeOffset>(11)))
    {
        CrlPartition = reader.GetInt32(12),
        Request = reader.IsDBNull(13) ? null : new IssuanceRequestKey(reader.GetString(13), reader.GetFieldValue<byte[]>(14)),
    };

    private async Task<IReadOnlyList<CertificateRecord>> QueryRecordsAsync(string sql, string parameter, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
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
