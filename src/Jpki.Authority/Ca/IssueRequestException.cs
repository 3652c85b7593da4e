namespace Jpki.Authority.Ca;

/// <summary>
/// An issuance request the authority refuses before signing anything (<see cref="IssueRequestValidator"/>): the same
/// refusal for the <c>jpki authority issue</c> command and the registration-authority API. The message is one sentence a
/// person can act on and never contains the holder's data.
/// </summary>
public sealed class IssueRequestException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public IssueRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IssueRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public IssueRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a machine code, the request field and a sentence.</summary>
    public IssueRequestException(string code, string? field, string message)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    /// <summary>Creates the exception with a machine code, the request field, a sentence and the cause.</summary>
    public IssueRequestException(string code, string? field, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
        Field = field;
    }

    /// <summary>A stable machine code, e.g. <c>outlives-ca</c>, <c>weak-exponent</c>, <c>unknown-previous</c>.</summary>
    public string Code { get; } = "bad-request";

    /// <summary>The request field at fault, e.g. <c>expiryDate</c>, <c>signature.name</c>.</summary>
    public string? Field { get; }
}
