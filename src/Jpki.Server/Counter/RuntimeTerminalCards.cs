using Jpki.Municipality.Cards;
using Jpki.Municipality.Issuance;

namespace Jpki.Server.Counter;

/// <summary>The counter runtime's card source (virtual card files, PC/SC readers) as the pages and the API see it.</summary>
internal sealed class RuntimeTerminalCards(ICounterCardSource source) : ITerminalCards
{
    public async Task<IReadOnlyList<CardSlot>> ListAsync(CancellationToken cancellationToken)
    {
        var slots = await source.ListAsync(cancellationToken).ConfigureAwait(false);
        return slots.Select(s => new CardSlot(s.Id, (s.Source == "pcsc" ? "読み取り機 " : "仮想カード ") + s.Name + (s.CardNumber is null ? string.Empty : $"（カード番号 {s.CardNumber}）"))).ToList();
    }

    public async Task<CardInfo?> DescribeAsync(string slotId, CancellationToken cancellationToken)
    {
        // Only a virtual card file tells its kind and expiry; a card in a reader is identified through the card register.
        if (string.IsNullOrWhiteSpace(slotId) || !slotId.StartsWith(VirtualCardSource.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var card = await OpenAsync(slotId, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return null;
        }

        try
        {
            return await card.ReadInfoAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (card as IDisposable)?.Dispose();
        }
    }

    public async Task<ICounterCard?> OpenAsync(string slotId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(slotId))
        {
            return null;
        }

        try
        {
            return await source.OpenAsync(slotId, cancellationToken).ConfigureAwait(false);
        }
        catch (CounterCardException)
        {
            // Not there, in use, or no card in the reader: the clerk re-inserts the card and chooses again.
            return null;
        }
    }
}
