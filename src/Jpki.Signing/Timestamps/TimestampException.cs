namespace Jpki.Signing.Timestamps;

/// <summary>The TSA did not give a usable token: refused (with its PKIStatus and failure), unreachable, or answered nonsense.</summary>
public sealed class TimestampException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TimestampException()
    {
    }

    /// <summary>Creates the exception with a sentence a person can act on.</summary>
    public TimestampException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a sentence and the cause.</summary>
    public TimestampException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
