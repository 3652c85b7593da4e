namespace Jpki.Card.Client;

/// <summary>The card refused a command: <see cref="StatusWord"/> says how (e.g. 0x6982 security status not satisfied).</summary>
public sealed class CardStatusException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CardStatusException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CardStatusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CardStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="operation"/> answered with <paramref name="statusWord"/>.</summary>
    public CardStatusException(string operation, ushort statusWord)
        : base($"The card refused {operation}: SW {statusWord:X4}.") => StatusWord = statusWord;

    /// <summary>SW1 SW2.</summary>
    public ushort StatusWord { get; }
}
