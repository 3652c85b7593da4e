using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;

namespace Jpki.OnlineApplication;

/// <summary>
/// <see cref="IResidentDirectory"/> over the counter's store: <c>SearchResidentsAsync</c> by name and exact date of
/// birth, then a whole-name comparison (the search matches parts of names), both folded
/// (<see cref="Jpki.Core.Charset.VariantFolding"/>): the certificate carries the substitute (吉田 for the register's 𠮷田,
/// ＳＭＩＴＨ for SMITH), and that is the same person. Disposes the store only when it owns it.
/// </summary>
internal sealed class CounterResidentDirectory(ICounterStore store, bool ownsStore) : IResidentDirectory, IAsyncDisposable
{
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private bool _migrated;

    public async Task<IReadOnlyList<Resident>> FindAsync(string name, DateOnly dateOfBirth, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var found = await store.SearchResidentsAsync(new ResidentQuery(name, dateOfBirth, 50), cancellationToken).ConfigureAwait(false);
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

    /// <summary>The folded form a certificate's and the register's writing of one name or address share.</summary>
    internal static string Compact(string text) => Jpki.Core.Charset.VariantFolding.Fold(text);

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
