namespace Jpki.Card.Transport;

/// <summary>The reader or card could not be reached (no reader, card removed, PC/SC error).</summary>
public sealed class CardTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CardTransportException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CardTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CardTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
