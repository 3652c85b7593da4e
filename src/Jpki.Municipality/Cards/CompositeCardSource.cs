namespace Jpki.Municipality.Cards;

/// <summary>Several card sources as one: lists them all and opens an id with the source whose prefix it carries.</summary>
/// <param name="virtualCards">Virtual card files (<c>file:</c> ids).</param>
/// <param name="readers">PC/SC readers (<c>reader:</c> ids), or null for none.</param>
public sealed class CompositeCardSource(VirtualCardSource virtualCards, PcscCardSource? readers) : ICounterCardSource
{
    /// <summary>The virtual card files.</summary>
    public VirtualCardSource VirtualCards => virtualCards;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CounterCardSlot>> ListAsync(CancellationToken cancellationToken)
    {
        var slots = new List<CounterCardSlot>(await virtualCards.ListAsync(cancellationToken).ConfigureAwait(false));
        if (readers is not null)
        {
            slots.AddRange(await readers.ListAsync(cancellationToken).ConfigureAwait(false));
        }

        return slots;
    }

    /// <inheritdoc/>
    public Task<CardCounterCard> OpenAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.StartsWith(PcscCardSource.Prefix, StringComparison.Ordinal))
        {
            return readers is null
                ? throw new CounterCardException("reader-unavailable", "PC/SC readers are not enabled for this counter.")
                : readers.OpenAsync(id, cancellationToken);
        }

        return virtualCards.OpenAsync(id, cancellationToken);
    }
}
