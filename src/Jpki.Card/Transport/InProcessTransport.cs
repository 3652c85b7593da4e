namespace Jpki.Card.Transport;

/// <summary>A card in this process (e.g. a <see cref="Virtual.VirtualCard"/>), reached by direct calls.</summary>
public sealed class InProcessTransport : ICardTransport
{
    private readonly ICard _card;
    private readonly bool _ownsCard;

    /// <summary>Connects to <paramref name="card"/> and resets it, as a reader would on connect.</summary>
    /// <param name="card">The card.</param>
    /// <param name="name">Name shown to people.</param>
    /// <param name="ownsCard">Dispose the card (if disposable) with the transport.</param>
    public InProcessTransport(ICard card, string name = "in-process", bool ownsCard = false)
    {
        _card = card ?? throw new ArgumentNullException(nameof(card));
        _ownsCard = ownsCard;
        Name = name;
        _card.Reset();
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> Atr => _card.Atr;

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public byte[] Transmit(ReadOnlySpan<byte> commandApdu) => _card.Transmit(commandApdu);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsCard && _card is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
