namespace Jpki.Authority.Contracts;

/// <summary>
/// The authority's answer does not follow the contract (an unknown kind, reason or status, a serial or certificate
/// that does not decode, a missing body). A client never guesses a default for such an answer.
/// </summary>
public sealed class AuthorityProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuthorityProtocolException()
    {
    }

    /// <summary>Creates the exception with a sentence.</summary>
    public AuthorityProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a sentence and the decoding failure.</summary>
    public AuthorityProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
