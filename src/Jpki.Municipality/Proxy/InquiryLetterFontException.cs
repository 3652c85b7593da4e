namespace Jpki.Municipality.Proxy;

/// <summary>The inquiry letter's font is missing or unusable; the message names the Debian package.</summary>
public sealed class InquiryLetterFontException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InquiryLetterFontException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public InquiryLetterFontException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InquiryLetterFontException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
