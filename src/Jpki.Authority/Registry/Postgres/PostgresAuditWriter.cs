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
/// </summary>
internal sealed class PostgresAuditWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public PostgresAuditWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loop = Task.Run(RunAsync);
    }

    public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(entry, cancellationToken);
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
                var first = await WriteAsync(batch).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(first + i);
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

    /// <summary>Chains and inserts <paramref name="batch"/> in one transaction; returns the first sequence number.</summary>
    private async Task<long> WriteAsync(List<Pending> batch)
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                long last = 0;
                var previous = AuditHash.Genesis();
                await using (var head = new NpgsqlCommand(
                    $"SELECT pg_advisory_xact_lock({PostgresMigrations.AuditLock}); SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                    connection))
                {
                    var reader = await head.ExecuteReaderAsync().ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.NextResultAsync().ConfigureAwait(false);
                        if (await reader.ReadAsync().ConfigureAwait(false))
                        {
                            last = reader.GetInt64(0);
                            previous = reader.GetFieldValue<byte[]>(1);
                        }
                    }
                }

                var first = checked(last + 1);
                var insert = new NpgsqlBatch(connection);
                await using (insert.ConfigureAwait(false))
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        var entry = batch[i].Entry;
                        var sequence = first + i;
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
                        insert.BatchCommands.Add(command);
                        previous = hash;
                    }

                    await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await transaction.CommitAsync().ConfigureAwait(false);
                return first;
            }
        }
    }

    private sealed record Pending(AuditEntry Entry, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
