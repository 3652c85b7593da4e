namespace Jpki.Verification.Trust;

/// <summary>A root offered to the trust store was refused (unparsable, not a CA, or not pinned).</summary>
public sealed class TrustStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrustStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrustStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public TrustStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
