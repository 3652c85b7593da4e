namespace Jpki.Verification.Pades;

/// <summary>The PDF is malformed where signing or validating needs it (xref, trailer, an object, a signature dictionary).</summary>
public sealed class PdfFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PdfFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PdfFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PdfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
