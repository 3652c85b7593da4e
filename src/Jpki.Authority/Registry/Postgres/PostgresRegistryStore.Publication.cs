using System.Data;
using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Core.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// The published revocation data on PostgreSQL: CRL publication state and documents (bytea, streamed in and out),
/// pre-signed OCSP answers, the publisher lease (a session advisory lock named after the schema, held on a dedicated
/// connection, released by the server when the session ends) and the change wake-up (LISTEN on
/// <see cref="PostgresMigrations.ChangeChannel"/>; revocations and publications NOTIFY at commit).
/// </summary>
internal sealed partial class PostgresRegistryStore
{
    private readonly object _listenGate = new();
    private CancellationTokenSource? _listenStop;
    private Task? _listening;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<CrlPublicationState?> GetCrlPublicationAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        RegistryArguments.Kind(kind, nameof(kind));
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                long baseNumber, baseSeq;
                long? deltaNumber, deltaSeq;
                DateTimeOffset publishedAt;
                TimeSpan? buildTime;
                await using (var head = new NpgsqlCommand("SELECT base_number, base_seq, delta_number, delta_seq, published_at, base_build_ms FROM crl_publications WHERE kind = $1", connection, transaction))
                {
                    head.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
                    var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            return null;
                        }

                        baseNumber = reader.GetInt64(0);
                        baseSeq = reader.GetInt64(1);
                        deltaNumber = reader.IsDBNull(2) ? null : reader.GetInt64(2);
                        deltaSeq = reader.IsDBNull(3) ? null : reader.GetInt64(3);
                        publishedAt = reader.GetFieldValue<DateTimeOffset>(4);
                        buildTime = reader.IsDBNull(5) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(5));
                    }
                }

                var list = new List<CrlDocumentInfo>();
                await using (var documents = new NpgsqlCommand("""
                    SELECT number, crl_partition, delta, base_number, this_update, next_update, entries, length, sha256
                    FROM crl_documents WHERE kind = $1 AND ((NOT delta AND number = $2) OR (delta AND number = $3))
                    ORDER BY delta, crl_partition
                    """, connection, transaction))
                {
                    documents.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
                    documents.Parameters.Add(new NpgsqlParameter<long> { TypedValue = baseNumber });
                    documents.Parameters.Add(new NpgsqlParameter<long> { TypedValue = deltaNumber ?? -1 });
                    var reader = await documents.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            list.Add(new CrlDocumentInfo(
                                kind,
                                reader.GetInt64(0),
                                reader.GetInt32(1),
                                reader.GetBoolean(2),
                                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                                reader.GetFieldValue<DateTimeOffset>(4),
                                reader.GetFieldValue<DateTimeOffset>(5),
                                reader.GetInt64(6),
                                reader.GetInt64(7),
                                reader.GetFieldValue<byte[]>(8)));
                        }
                    }
                }

                return new CrlPublicationState(kind, baseNumber, baseSeq, deltaNumber, deltaSeq, publishedAt, list) { BaseBuildTime = buildTime };
            }
        }
    }

    public async Task<bool> PublishCrlsAsync(CertificateKind kind, bool delta, long number, long sequence, long? baseNumber, IReadOnlyList<CrlDocumentFile> documents, DateTimeOffset publishedAt, TimeSpan buildTime, CancellationToken cancellationToken)
    {
        RegistryArguments.Kind(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(documents);
        if (delta && baseNumber is null)
        {
            throw new ArgumentException("A delta generation names its base.", nameof(baseNumber));
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                long? previousBase = null;
                long? previousDelta = null;

                // The pointer's row lock orders concurrent publishers; the first publication inserts it (a racing
                // second insert fails on the primary key and publishes nothing).
                await using (var head = new NpgsqlCommand("SELECT base_number, delta_number FROM crl_publications WHERE kind = $1 FOR UPDATE", connection, transaction))
                {
                    head.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
                    var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            previousBase = reader.GetInt64(0);
                            previousDelta = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                        }
                    }
                }

                if (delta ? previousBase != baseNumber || number <= (previousDelta ?? previousBase!.Value) : number <= (previousBase ?? 0) || number <= (previousDelta ?? 0))
                {
                    return false;
                }

                foreach (var document in documents)
                {
                    await InsertDocumentAsync(connection, transaction, document, cancellationToken).ConfigureAwait(false);
                }

                var pointerSql = delta
                    ? "UPDATE crl_publications SET delta_number = $2, delta_seq = $3, published_at = $4 WHERE kind = $1"
                    : """
                      INSERT INTO crl_publications AS p (kind, base_number, base_seq, delta_number, delta_seq, published_at, base_build_ms)
                      VALUES ($1, $2, $3, NULL, NULL, $4, $5)
                      ON CONFLICT (kind) DO UPDATE SET base_number = $2, base_seq = $3, delta_number = NULL, delta_seq = NULL, published_at = $4, base_build_ms = $5
                      """;
                var batch = new NpgsqlBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    var pointer = new NpgsqlBatchCommand(pointerSql);
                    pointer.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
                    pointer.Parameters.Add(new NpgsqlParameter<long> { TypedValue = number });
                    pointer.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
                    pointer.Parameters.Add(Instant(publishedAt));
                    if (!delta)
                    {
                        pointer.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)buildTime.TotalMilliseconds });
                    }

                    batch.BatchCommands.Add(pointer);

                    // Keep the previous generation (a process may still be copying it); drop what is older.
                    var prune = new NpgsqlBatchCommand(delta
                        ? "DELETE FROM crl_documents WHERE kind = $1 AND delta AND number < $2"
                        : "DELETE FROM crl_documents WHERE kind = $1 AND number < $2");
                    prune.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)kind });
                    prune.Parameters.Add(new NpgsqlParameter<long> { TypedValue = delta ? previousDelta ?? number : previousBase ?? number });
                    batch.BatchCommands.Add(prune);
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_notify('{PostgresMigrations.ChangeChannel}', 'crl')"));
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    public async Task CopyCrlDocumentAsync(CrlDocumentInfo document, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(destination);
        await using var command = _dataSource.CreateCommand("SELECT der FROM crl_documents WHERE kind = $1 AND number = $2 AND crl_partition = $3 AND delta = $4");
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)document.Kind });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = document.Number });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = document.Partition });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = document.Delta });
        var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new FileNotFoundException($"CRL document #{document.Number} (partition {document.Partition}, delta {document.Delta}) is not stored.");
            }

            var stream = await reader.GetStreamAsync(0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await stream.CopyToAsync(destination, 1 << 16, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<StoredOcspResponse?> FindOcspResponseAsync(string serialHex, OcspCertIdHash hash, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        await using var command = _dataSource.CreateCommand("SELECT kind, status, this_update, next_update, refresh_at, der FROM ocsp_responses WHERE serial = $1 AND hash_algorithm = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serialHex });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)hash });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new StoredOcspResponse(
                serialHex,
                hash,
                (CertificateKind)reader.GetInt16(0),
                reader.GetInt16(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<byte[]>(5));
        }
    }

    public async Task<int> StoreOcspResponsesAsync(IReadOnlyList<StoredOcspResponse> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responses);
        if (responses.Count == 0)
        {
            return 0;
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var response in responses)
                {
                    // FOR SHARE waits for a revocation of the row in progress and re-checks it after: a good answer is
                    // stored only while the certificate is unrevoked, and a revocation committing after this insert
                    // deletes it (docs/authority.md).
                    var insert = new NpgsqlBatchCommand("""
                        INSERT INTO ocsp_responses AS r (serial, hash_algorithm, kind, status, this_update, next_update, refresh_at, der)
                        SELECT $1, $2, $3, $4, $5, $6, $7, $8
                        WHERE EXISTS (SELECT 1 FROM certificates WHERE serial = $1 AND ($4 = 1 OR revoked_at IS NULL) FOR SHARE)
                        ON CONFLICT (serial, hash_algorithm) DO UPDATE SET
                            kind = excluded.kind, status = excluded.status, this_update = excluded.this_update,
                            next_update = excluded.next_update, refresh_at = excluded.refresh_at, der = excluded.der
                        WHERE excluded.this_update >= r.this_update
                        """);
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = response.SerialHex });
                    insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)response.HashAlgorithm });
                    insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)response.Kind });
                    insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)response.Status });
                    insert.Parameters.Add(Instant(response.ThisUpdate));
                    insert.Parameters.Add(Instant(response.NextUpdate));
                    insert.Parameters.Add(Instant(response.RefreshAt));
                    insert.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = response.Der });
                    batch.BatchCommands.Add(insert);
                }

                return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<(IReadOnlyList<OcspWork> Work, DateTimeOffset IssuedCursor)> FindOcspWorkAsync(DateTimeOffset now, DateTimeOffset issuedFrom, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var work = new List<OcspWork>();
        await using (var due = _dataSource.CreateCommand("""
            SELECT r.serial, r.kind, r.hash_algorithm FROM ocsp_responses AS r
            JOIN certificates AS c ON c.serial = r.serial
            WHERE r.refresh_at <= $1 AND c.not_after >= $1
            ORDER BY r.refresh_at LIMIT $2
            """))
        {
            due.Parameters.Add(Instant(now));
            due.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var reader = await due.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    work.Add(new OcspWork(reader.GetString(0), (CertificateKind)reader.GetInt16(1), (OcspCertIdHash)reader.GetInt16(2)));
                }
            }
        }

        var cursor = issuedFrom;
        if (work.Count < limit)
        {
            await using var missing = _dataSource.CreateCommand("""
                SELECT c.serial, c.kind, c.issued_at FROM certificates AS c
                WHERE c.issued_at >= $1 AND c.not_after >= $2 AND c.revoked_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM ocsp_responses AS r WHERE r.serial = c.serial AND r.hash_algorithm = 1)
                ORDER BY c.issued_at LIMIT $3
                """);
            missing.Parameters.Add(Instant(issuedFrom));
            missing.Parameters.Add(Instant(now));
            missing.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit - work.Count });
            var reader = await missing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    work.Add(new OcspWork(reader.GetString(0), (CertificateKind)reader.GetInt16(1), OcspCertIdHash.Sha1));
                    cursor = reader.GetFieldValue<DateTimeOffset>(2);
                }
            }
        }

        return (work, cursor);
    }

    public async Task<IPublisherLease?> TryAcquirePublisherLeaseAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Advisory locks are per database: the key names the schema, so two registries in one database do not
            // share a publisher.
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext(current_schema() || '/jpki-publisher'))", connection);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new PostgresPublisherLease(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public async Task WaitForChangeAsync(long cursor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        EnsureListening();
        var changed = Volatile.Read(ref _changed).Task;
        if (await GetRevocationCursorAsync(cancellationToken).ConfigureAwait(false) != cursor)
        {
            return;
        }

        // A NOTIFY (revocation or publication, from any process) or the timeout, whichever comes first; while the
        // listening connection is down, the caller's timeout turns this into polling.
        await Task.WhenAny(changed, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task InsertDocumentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CrlDocumentFile document, CancellationToken cancellationToken)
    {
        var info = document.Info;
        var file = new FileStream(document.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            if (file.Length != info.Length)
            {
                throw new IOException($"The CRL file {Path.GetFileName(document.Path)} changed size before it was stored.");
            }

            await using var insert = new NpgsqlCommand("""
                INSERT INTO crl_documents (kind, number, crl_partition, delta, base_number, this_update, next_update, entries, length, sha256, der)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)info.Kind });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = info.Number });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = info.Partition });
            insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = info.Delta });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)info.BaseNumber ?? DBNull.Value });
            insert.Parameters.Add(Instant(info.ThisUpdate));
            insert.Parameters.Add(Instant(info.NextUpdate));
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = info.EntryCount });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = info.Length });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = info.Sha256.ToArray() });

            // Streamed from the file into the bytea parameter: the CRL is never held whole in memory.
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = file, Size = checked((int)info.Length) });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void EnsureListening()
    {
        lock (_listenGate)
        {
            if (_listening is not null)
            {
                return;
            }

            _listenStop = new CancellationTokenSource();
            var stop = _listenStop.Token;
            _listening = Task.Run(() => ListenAsync(stop), CancellationToken.None);
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, _) => Signal();
                    await using (var listen = new NpgsqlCommand($"LISTEN {PostgresMigrations.ChangeChannel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }

                    // Anything committed while no one listened: wake the waiters once.
                    Signal();
                    while (!stop.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The server or the network went away: waiters fall back to their timeouts; listen again shortly.
                Signal();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Signal()
    {
        var previous = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    private async Task StopListeningAsync()
    {
        Task? listening;
        lock (_listenGate)
        {
            listening = _listening;
            _listenStop?.Cancel();
        }

        if (listening is not null)
        {
            await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _listenStop?.Dispose();
    }
}
