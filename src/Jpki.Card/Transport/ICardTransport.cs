namespace Jpki.Card.Transport;

/// <summary>A host's connection to one card: in-process, or a reader through PC/SC.</summary>
public interface ICardTransport : IDisposable
{
    /// <summary>The card's answer-to-reset.</summary>
    ReadOnlyMemory<byte> Atr { get; }

    /// <summary>A short human-readable name of the connection, e.g. the reader name or the card file.</summary>
    string Name { get; }

    /// <summary>Sends one command APDU and returns the raw response (data ‖ SW1 SW2).</summary>
    /// <exception cref="CardTransportException">The card or reader could not be reached.</exception>
    byte[] Transmit(ReadOnlySpan<byte> commandApdu);
}
