using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;

namespace Jpki.OnlineApplication;

/// <summary>
/// <see cref="IResidentDirectory"/> over the counter's store: <c>SearchResidentsAsync</c> by name (spaces ignored) and
/// exact date of birth, then an exact name comparison (the search matches parts of names). Disposes the store only when it owns it.
/// </summary>
internal sealed class CounterResidentDirectory(ICounterStore store, bool ownsStore) : IResidentDirectory, IAsyncDisposable
{
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private bool _migrated;

    public async Task<IReadOnlyList<Resident>> FindAsync(string name, DateOnly dateOfBirth, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var found = await store.SearchResidentsAsync(new ResidentQuery(name, dateOfBirth, 20), cancellationToken).ConfigureAwait(false);
        var wanted = Compact(name);
        return [.. found.Where(r => Compact(r.Name) == wanted)];
    }

    public async ValueTask DisposeAsync()
    {
        if (ownsStore)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }

        _migrate.Dispose();
    }

    internal static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _migrated))
        {
            return;
        }

        await _migrate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _migrated, true);
            }
        }
        finally
        {
            _migrate.Release();
        }
    }
}
