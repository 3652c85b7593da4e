namespace Jpki.Authority.Registry;

/// <summary>
/// The right to publish revocation data for one registry: held by exactly one process at a time (a PostgreSQL
/// advisory lock on a dedicated session, or an exclusive lock on a file beside the SQLite database), released when the
/// holder disposes it or dies. <see cref="Lost"/> is cancelled when the holder learns it no longer holds it.
/// </summary>
public interface IPublisherLease : IAsyncDisposable
{
    /// <summary>Cancelled when the lease is lost (connection to the database gone).</summary>
    CancellationToken Lost { get; }

    /// <summary>Checks that the lease is still held (PostgreSQL: a round trip on its session); false once lost.</summary>
    Task<bool> ConfirmAsync(CancellationToken cancellationToken);
}
