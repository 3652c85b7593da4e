namespace Jpki.Verification.Revocation;

/// <summary>A CRL or OCSP response could not be decoded or is not acceptable as revocation data.</summary>
public sealed class RevocationDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RevocationDataException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RevocationDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public RevocationDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
