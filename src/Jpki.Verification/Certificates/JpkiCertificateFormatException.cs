namespace Jpki.Verification.Certificates;

/// <summary>A certificate extension that JPKI defines could not be decoded (bad outside data, not a programmer error).</summary>
public sealed class JpkiCertificateFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JpkiCertificateFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JpkiCertificateFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the decoder's error.</summary>
    public JpkiCertificateFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
