namespace Jpki.Authority.Profiles;

/// <summary>A certificate does not follow the JPKI end-entity profile (or is not DER).</summary>
public sealed class JpkiProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JpkiProfileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JpkiProfileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the parser's error.</summary>
    public JpkiProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
