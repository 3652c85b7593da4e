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

    /// <summary>
    /// True when other applications can reach the same card (a PC/SC reader): between two transactions they may select
    /// another application or drop a verified PIN, so a client must not rely on what it selected or verified in an
    /// earlier transaction. False for a card only this process reaches (the default).
    /// </summary>
    bool IsShared => false;

    /// <summary>
    /// Starts exclusive use of the card for one logical operation: until <see cref="EndTransaction"/> no other
    /// application's command reaches it (PC/SC <c>SCardBeginTransaction</c>). Returns true when the card was reset since
    /// the previous transaction, i.e. its selected application and verified PINs are gone. Transports that no other
    /// application can reach (a card in this process) need nothing: the default returns false.
    /// </summary>
    /// <exception cref="CardTransportException">The card or reader could not be reached.</exception>
    bool BeginTransaction() => false;

    /// <summary>Ends the transaction started by <see cref="BeginTransaction"/>, leaving the card as it is.</summary>
    void EndTransaction()
    {
    }
}
