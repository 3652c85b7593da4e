using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Cards;

/// <summary>Several card sources as one: lists them all and opens an id with the source whose prefix it carries.</summary>
/// <param name="virtualCards">Virtual card files (<c>file:</c> ids).</param>
/// <param name="readers">PC/SC readers (<c>reader:</c> ids), or null for none.</param>
public sealed class CompositeCardSource(VirtualCardSource virtualCards, PcscCardSource? readers) : ICounterCardSource, ICounterCardFinder
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

    /// <summary>
    /// Opens the listed card whose number is known without opening it (virtual card files) and is
    /// <paramref name="cardId"/>; null when there is none or it cannot be opened now (in use by a clerk, unreadable). A
    /// card in a PC/SC reader is not opened behind the clerk's back: it is checked when presented.
    /// </summary>
    public async Task<ICounterCard?> FindAsync(string cardId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cardId);
        foreach (var slot in await virtualCards.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(slot.CardNumber, cardId, StringComparison.Ordinal))
            {
                continue;
            }

            CardCounterCard card;
            try
            {
                card = await virtualCards.OpenAsync(slot.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (CounterCardException)
            {
                continue;
            }

            if (string.Equals((await card.ReadInfoAsync(cancellationToken).ConfigureAwait(false)).CardId, cardId, StringComparison.Ordinal))
            {
                return card;
            }

            card.Dispose();
        }

        return null;
    }
}
