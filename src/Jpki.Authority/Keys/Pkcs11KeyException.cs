namespace Jpki.Authority.Keys;

/// <summary>A PKCS#11 CA key could not be opened or used. The message never contains the PIN.</summary>
public sealed class Pkcs11KeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Pkcs11KeyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public Pkcs11KeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the token's error.</summary>
    public Pkcs11KeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
