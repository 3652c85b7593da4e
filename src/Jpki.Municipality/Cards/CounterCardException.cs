namespace Jpki.Municipality.Cards;

/// <summary>A card could not be opened: a stable <see cref="Code"/> and a sentence for the clerk.</summary>
public sealed class CounterCardException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CounterCardException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CounterCardException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CounterCardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a code.</summary>
    /// <param name="code"><c>card-not-found</c>, <c>card-in-use</c>, <c>card-unreadable</c>, <c>card-not-registered</c> or <c>reader-unavailable</c>.</param>
    /// <param name="message">A sentence for the clerk (no secrets).</param>
    /// <param name="innerException">The cause.</param>
    public CounterCardException(string code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    /// <summary>The machine code.</summary>
    public string Code { get; } = "card-error";
}
