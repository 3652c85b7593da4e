using Jpki.Verification.Signatures;

namespace Jpki.Verification.Xades;

/// <summary>A signature that cannot be checked or must be refused; carries the report's failure. Never leaves this library's XML code.</summary>
internal sealed class XmlSignatureException : Exception
{
    public XmlSignatureException(SignatureFailure failure)
        : base(failure.Verdict.Message) => Failure = failure;

    public XmlSignatureException()
        : this(SignatureFailure.Format("The XML signature is malformed."))
    {
    }

    public XmlSignatureException(string message)
        : this(SignatureFailure.Format(message))
    {
    }

    public XmlSignatureException(string message, Exception innerException)
        : base(message, innerException) => Failure = SignatureFailure.Format(message);

    public SignatureFailure Failure { get; }

    /// <summary>FORMAT_FAILURE with <paramref name="message"/>.</summary>
    public static XmlSignatureException Format(string message) => new(SignatureFailure.Format(message));

    /// <summary>INDETERMINATE/SIG_CONSTRAINTS_FAILURE: the signature uses something this validator refuses on principle (XSLT, XPath, SHA-1).</summary>
    public static XmlSignatureException Refused(string message, SubIndication sub = SubIndication.SigConstraintsFailure)
        => new(new SignatureFailure(Indication.Indeterminate, sub, Verdict.Fail(VerdictCode.Malformed, message)));
}
