namespace Jpki.Fuzz;

/// <summary>A result that breaks a target's contract without an exception of its own (e.g. a response without a status word).</summary>
public sealed class FuzzFindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzFindingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was broken.</param>
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was broken.</param>
    /// <param name="innerException">The cause.</param>
    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
