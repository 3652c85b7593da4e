using Jpki.Authority.Ca;
using Jpki.Municipality.Hosting;

namespace Jpki.Server.Composition;

/// <summary>A counter runtime and the in-process authority it issues through; disposing it closes both.</summary>
public sealed class LocalCounter : IAsyncDisposable
{
    private int _disposed;

    internal LocalCounter(CounterRuntime runtime, AuthorityRuntime authority)
    {
        Runtime = runtime;
        Authority = authority;
    }

    /// <summary>The counter.</summary>
    public CounterRuntime Runtime { get; }

    /// <summary>The authority opened from the data folder.</summary>
    public AuthorityRuntime Authority { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Runtime.DisposeAsync().ConfigureAwait(false);
        await Authority.DisposeAsync().ConfigureAwait(false);
    }
}
