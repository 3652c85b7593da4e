namespace Jpki.Card.Virtual;

/// <summary>A virtual card file could not be created, opened or written. <see cref="Code"/> says why.</summary>
public sealed class VirtualCardException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VirtualCardException()
        : this("card-error", "The virtual card failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public VirtualCardException(string message)
        : this("card-error", message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public VirtualCardException(string message, Exception innerException)
        : this("card-error", message, innerException)
    {
    }

    /// <summary>Creates the exception with a machine code.</summary>
    /// <param name="code">
    /// <c>card-in-use</c> (another process holds the card), <c>card-file-missing</c>, <c>card-file-exists</c>,
    /// <c>card-file-invalid</c> or <c>card-file-version</c>.
    /// </param>
    /// <param name="message">A sentence a person can act on; never contains a secret.</param>
    /// <param name="innerException">The cause, if any.</param>
    public VirtualCardException(string code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    /// <summary>Stable machine code.</summary>
    public string Code { get; } = "card-error";
}
