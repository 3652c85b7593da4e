using Npgsql;

namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// The publisher lease on PostgreSQL: a session advisory lock held by a dedicated connection. The server releases the
/// lock when the session ends (the process died, the connection broke), and another process's next attempt takes it.
/// A keep-alive every few seconds notices a broken session and cancels <see cref="Lost"/>.
/// </summary>
internal sealed class PostgresPublisherLease : IPublisherLease
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);
    private readonly NpgsqlConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _keepAlive;

    public PostgresPublisherLease(NpgsqlConnection connection)
    {
        _connection = connection;
        _keepAlive = Task.Run(KeepAliveAsync);
    }

    public CancellationToken Lost => _lost.Token;

    public async Task<bool> ConfirmAsync(CancellationToken cancellationToken)
    {
        if (_lost.IsCancellationRequested)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var ping = new NpgsqlCommand("SELECT 1", _connection);
            await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            await _lost.CancelAsync().ConfigureAwait(false);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_lost.IsCancellationRequested)
        {
            await _lost.CancelAsync().ConfigureAwait(false);
        }

        // Npgsql pools the session (and resets it only when it is next used): release the lock explicitly. A broken
        // session has lost it already.
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", _connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            NpgsqlConnection.ClearPool(_connection);
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task KeepAliveAsync()
    {
        while (!_stop.IsCancellationRequested && !_lost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(KeepAlive, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ConfirmAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
