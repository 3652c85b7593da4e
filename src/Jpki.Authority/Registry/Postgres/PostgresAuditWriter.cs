using System.Threading.Channels;
using Jpki.Authority.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// Appends audit entries to PostgreSQL in batches. The chain must be linear, so every append holds the audit
/// advisory lock from "read the head" to the commit — including the commit's WAL flush. One append per transaction
/// would serialise every CA action on that flush; instead the entries that arrive while a batch is in flight are
/// chained and inserted together in the next transaction (group commit), and each caller's task completes after
/// the commit. Across processes the advisory lock still keeps the chain linear.
/// An entry may carry the certificate it records (issuance): the certificate is inserted in the same transaction
/// (<c>ON CONFLICT DO NOTHING</c>, so a duplicate serial or request id fails only its own caller, and its entry is not chained).
/// Round trips per batch: one for the statements, one for the commit (see <see cref="WriteAsync"/>).
/// </summary>
internal sealed class PostgresAuditWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int MaxAttempts = 8;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <summary>The newest entry as last committed by this writer; null when unknown (start, conflict, failure).</summary>
    private (long Sequence, byte[] Hash)? _head;

    public PostgresAuditWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loop = Task.Run(RunAsync);
    }

    public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => EnqueueAsync(entry, null, cancellationToken);

    /// <summary>Inserts <paramref name="certificate"/> and appends <paramref name="entry"/> in one transaction.</summary>
    public Task<long> AddWithAuditAsync(CertificateRecord certificate, AuditEntry entry, CancellationToken cancellationToken) =>
        EnqueueAsync(entry, certificate, cancellationToken);

    private Task<long> EnqueueAsync(AuditEntry entry, CertificateRecord? certificate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(entry, certificate, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresRegistryStore));
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Completion.TrySetCanceled(pending.CancellationToken);
                }
                else
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await WriteAsync(batch).ConfigureAwait(false);
                foreach (var pending in batch)
                {
                    if (pending.Duplicate)
                    {
                        // The serial or the request id (another attempt of the same request) is already registered.
                        pending.Completion.TrySetException(pending.Certificate!.Request is { } request
                            ? new DuplicateSerialException($"A certificate with serial {pending.Certificate.SerialHex} or request id {request.RequestId} is already registered.")
                            : new DuplicateSerialException($"A certificate with serial {pending.Certificate.SerialHex} is already registered."));
                    }
                    else
                    {
                        pending.Completion.TrySetResult(pending.Sequence);
                    }
                }
            }
#pragma warning disable CA1031 // the batch failed: every caller in it learns why, none is acknowledged
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>
    /// Inserts the batch's certificates and chains and inserts their entries (and those of plain appends) in one
    /// transaction; sets each item's sequence number or duplicate flag. The head of the chain is cached between batches,
    /// so a batch is two round trips: lock + certificate inserts + audit inserts, then the commit. Optimistic: a
    /// duplicate serial (rows affected 0) rolls the batch back and retries it without that item; another process having
    /// appended meanwhile, or rows removed (the head read under the lock differs from the cached one), rolls back,
    /// re-reads the head and retries.
    /// </summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!batch.Exists(p => !p.Duplicate))
            {
                return;
            }

            try
            {
                if (await TryWriteAsync(batch).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == "23505" && ex.ConstraintName == "audit_log_pkey" && attempt < MaxAttempts)
            {
                _head = null;
            }
            catch
            {
                _head = null;
                throw;
            }
        }
    }

    /// <summary>One attempt; false when a duplicate serial was found (now flagged) or the head moved, and the batch must be retried.</summary>
    private async Task<bool> TryWriteAsync(List<Pending> batch)
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var lockSql = $"SELECT pg_advisory_xact_lock({PostgresMigrations.AuditLock})";
                if (_head is null)
                {
                    await using var head = new NpgsqlCommand(lockSql + "; SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", connection);
                    var reader = await head.ExecuteReaderAsync().ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.NextResultAsync().ConfigureAwait(false);
                        _head = await reader.ReadAsync().ConfigureAwait(false)
                            ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
                            : (0, AuditHash.Genesis());
                    }

                    lockSql = null;
                }

                var (sequence, previous) = _head.Value;
                var write = new NpgsqlBatch(connection);
                await using (write.ConfigureAwait(false))
                {
                    if (lockSql is not null)
                    {
                        // Under the lock, re-read the head in the same round trip: rows removed or added behind our
                        // back (another process, or tampering) make the cached head stale, and we must chain onto
                        // what is really there, exactly as a fresh writer would.
                        write.BatchCommands.Add(new NpgsqlBatchCommand(lockSql));
                        write.BatchCommands.Add(new NpgsqlBatchCommand("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
                    }

                    var inserts = new List<(Pending Pending, NpgsqlBatchCommand Command)>();
                    foreach (var pending in batch)
                    {
                        if (pending.Certificate is { } certificate && !pending.Duplicate)
                        {
                            var insert = new NpgsqlBatchCommand(PostgresRegistryStore.InsertCertificateSql + " ON CONFLICT DO NOTHING");
                            PostgresRegistryStore.AddCertificateParameters(insert.Parameters, certificate);
                            write.BatchCommands.Add(insert);
                            inserts.Add((pending, insert));
                        }
                    }

                    foreach (var pending in batch)
                    {
                        if (pending.Duplicate)
                        {
                            continue;
                        }

                        var entry = pending.Entry;
                        sequence = checked(sequence + 1);
                        pending.Sequence = sequence;
                        var at = StoreTime.Truncate(entry.At);
                        var hash = AuditHash.Compute(sequence, at, entry.Actor, entry.Action, entry.Subject, entry.Details, previous);
                        var command = new NpgsqlBatchCommand(
                            "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
                        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
                        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = at });
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Actor });
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Action });
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Subject });
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Details });
                        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = previous });
                        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
                        write.BatchCommands.Add(command);
                        previous = hash;
                    }

                    var headMoved = false;
                    var reader = await write.ExecuteReaderAsync().ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (lockSql is not null)
                        {
                            await reader.NextResultAsync().ConfigureAwait(false);
                            headMoved = await reader.ReadAsync().ConfigureAwait(false)
                                ? reader.GetInt64(0) != _head.Value.Sequence || !reader.GetFieldValue<byte[]>(1).AsSpan().SequenceEqual(_head.Value.Hash)
                                : _head.Value.Sequence != 0;
                        }

                        while (await reader.NextResultAsync().ConfigureAwait(false))
                        {
                            // Drain: the inserts' rows-affected counts are set as their results are consumed.
                        }
                    }

                    if (headMoved)
                    {
                        await transaction.RollbackAsync().ConfigureAwait(false);
                        _head = null;
                        return false;
                    }

                    var duplicate = false;
                    foreach (var (pending, command) in inserts)
                    {
                        if (command.RecordsAffected == 0)
                        {
                            pending.Duplicate = true;
                            duplicate = true;
                        }
                    }

                    if (duplicate)
                    {
                        // The entries were chained over the duplicate: discard them all (the head is unchanged).
                        await transaction.RollbackAsync().ConfigureAwait(false);
                        return false;
                    }
                }

                await transaction.CommitAsync().ConfigureAwait(false);
                _head = (sequence, previous);
                return true;
            }
        }
    }

    private sealed record Pending(AuditEntry Entry, CertificateRecord? Certificate, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The certificate's serial was already registered: nothing of this item was stored.</summary>
        public bool Duplicate { get; set; }

        /// <summary>The entry's sequence number, once chained.</summary>
        public long Sequence { get; set; }
    }
}
