namespace Jpki.Authority.Ca;

/// <summary>
/// A request id that was already used for a different issuance request (another key, holder, card, expiry, subject or
/// registration authority). Nothing is issued; the registration authority must choose a new id for a new request.
/// The API answers 409 with the code <see cref="Code"/>.
/// </summary>
public sealed class IssuanceRequestConflictException : Exception
{
    /// <summary>The stable code of this refusal.</summary>
    public const string Code = IssuanceRequestId.ReusedCode;

    /// <summary>Creates the exception.</summary>
    public IssuanceRequestConflictException()
        : base("This request id was already used for a different issuance request; choose a new id for a new request.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IssuanceRequestConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public IssuanceRequestConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
