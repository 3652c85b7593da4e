using Jpki.Authority.Ca;

namespace Jpki.Server;

/// <summary>Holds the authority opened from the data folder so that disposing the application closes it.</summary>
internal sealed class OwnedAuthority(AuthorityRuntime runtime) : IAsyncDisposable
{
    private int _disposed;

    public AuthorityRuntime Runtime => runtime;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? runtime.DisposeAsync() : ValueTask.CompletedTask;
}
