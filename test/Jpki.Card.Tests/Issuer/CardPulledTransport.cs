using Jpki.Card.Transport;

namespace Jpki.Card.Tests.Issuer;

/// <summary>A transport whose card is "pulled" after a number of APDUs: the card is reset and every later APDU throws.</summary>
internal sealed class CardPulledTransport(ICard card, int apdusBeforePull) : ICardTransport
{
    private int _sent;

    public ReadOnlyMemory<byte> Atr => card.Atr;

    public string Name => "pulled";

    public byte[] Transmit(ReadOnlySpan<byte> commandApdu)
    {
        if (_sent++ == apdusBeforePull)
        {
            card.Reset();
        }

        if (_sent > apdusBeforePull)
        {
            throw new CardTransportException("The card was removed.");
        }

        return card.Transmit(commandApdu);
    }

    public void Dispose()
    {
    }
}
