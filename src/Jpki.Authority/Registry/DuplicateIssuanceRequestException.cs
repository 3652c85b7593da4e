namespace Jpki.Authority.Registry;

/// <summary>A certificate was already issued under the same request id (another attempt of the same request won the race).</summary>
public sealed class DuplicateIssuanceRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DuplicateIssuanceRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DuplicateIssuanceRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store's error.</summary>
    public DuplicateIssuanceRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
