using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Storage;

/// <summary>
/// An all-or-nothing import of residents (<see cref="ICounterStore.BeginResidentImportAsync"/>): one database
/// transaction that takes the rows batch by batch, so a register of any size streams through without being held in
/// memory. Nothing is visible to others before <see cref="CommitAsync"/>; disposing without it rolls everything back.
/// </summary>
public interface IResidentImport : IAsyncDisposable
{
    /// <summary>Adds residents; returns the ids that were already registered (those rows were not added).</summary>
    Task<IReadOnlyList<string>> AddAsync(IReadOnlyList<Resident> residents, CancellationToken cancellationToken);

    /// <summary>Makes every added row durable at once.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
