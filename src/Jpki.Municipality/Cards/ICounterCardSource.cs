namespace Jpki.Municipality.Cards;

/// <summary>
/// Where the counter finds cards: lists what is available (virtual card files, PC/SC readers with a card) and opens
/// one by its id. The opened card is used for one workflow and then disposed, which closes it.
/// </summary>
public interface ICounterCardSource
{
    /// <summary>The cards available now.</summary>
    Task<IReadOnlyList<CounterCardSlot>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Opens the card with <paramref name="id"/> (as listed).</summary>
    /// <exception cref="CounterCardException">No such card, the card is in use, or the reader has no card.</exception>
    Task<CardCounterCard> OpenAsync(string id, CancellationToken cancellationToken);
}
