using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Jpki.Authority.Registry.Sqlite;

/// <summary>
/// The single writer connection of a SQLite store. Every change goes through one queue; the writer drains what is
/// waiting (up to <see cref="MaxBatch"/> items), runs each item inside its own savepoint of one
/// <c>BEGIN IMMEDIATE</c> transaction, commits once (one fsync under <c>synchronous=FULL</c>) and only then completes
/// the callers' tasks — group commit: concurrent issuance shares the cost of durability, and an acknowledged write
/// is on disk. A failing item (e.g. a duplicate serial) rolls back to its savepoint without touching the others.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly SqliteConnection _connection;
    private readonly Channel<IWorkItem> _queue = Channel.CreateUnbounded<IWorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(RunAsync);
    }

    private interface IWorkItem
    {
        bool IsCancelled { get; }

        void Execute(SqliteConnection connection);

        void Fail(Exception exception);

        void Complete();
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection, inside a transaction, and returns after the commit.</summary>
    public Task<T> ExecuteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new WorkItem<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteRegistryStore));
        }

        return item.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task RunAsync()
    {
        var batch = new List<IWorkItem>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                if (!item.IsCancelled)
                {
                    batch.Add(item);
                }
                else
                {
                    item.Fail(new OperationCanceledException());
                }
            }

            if (batch.Count > 0)
            {
                RunBatch(batch);
            }
        }
    }

    private void RunBatch(List<IWorkItem> batch)
    {
        var failed = new bool[batch.Count];
        try
        {
            Run(_connection, "BEGIN IMMEDIATE");
        }
        catch (SqliteException ex)
        {
            foreach (var item in batch)
            {
                item.Fail(ex);
            }

            return;
        }

        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                Run(_connection, "SAVEPOINT item");
                try
                {
                    batch[i].Execute(_connection);
                    Run(_connection, "RELEASE item");
                }
#pragma warning disable CA1031 // one caller's failure (reported to that caller) must not fail the others' writes
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Run(_connection, "ROLLBACK TO item");
                    Run(_connection, "RELEASE item");
                    batch[i].Fail(ex);
                    failed[i] = true;
                }
            }

            Run(_connection, "COMMIT");
        }
#pragma warning disable CA1031 // the commit failed: every caller in the batch learns it, none is acknowledged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TryRollback();
            for (var i = 0; i < batch.Count; i++)
            {
                if (!failed[i])
                {
                    batch[i].Fail(ex);
                    failed[i] = true;
                }
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!failed[i])
            {
                batch[i].Complete();
            }
        }
    }

    private void TryRollback()
    {
        try
        {
            Run(_connection, "ROLLBACK");
        }
        catch (SqliteException)
        {
            // No transaction is open any more: SQLite rolls back by itself on some errors.
        }
    }

    private sealed class WorkItem<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken) : IWorkItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public bool IsCancelled => cancellationToken.IsCancellationRequested;

        public void Execute(SqliteConnection connection) => _result = work(connection);

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
            else
            {
                _completion.TrySetException(exception);
            }
        }

        public void Complete() => _completion.TrySetResult(_result!);
    }
}
