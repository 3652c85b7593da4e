namespace Jpki.Authority.Registry;

/// <summary>A certificate with the same serial number is already registered.</summary>
public sealed class DuplicateSerialException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DuplicateSerialException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DuplicateSerialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store's error.</summary>
    public DuplicateSerialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
