using Jpki.Municipality.Storage;

namespace Jpki.Server.Counter;

/// <summary>Holds the counter store the host opened itself, so that disposing the application closes it.</summary>
internal sealed class OwnedCounterStore(ICounterStore store) : IAsyncDisposable
{
    private int _disposed;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? store.DisposeAsync() : ValueTask.CompletedTask;
}
