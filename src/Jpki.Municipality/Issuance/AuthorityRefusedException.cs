namespace Jpki.Municipality.Issuance;

/// <summary>
/// The authority refused an issuance or revocation as bad input (an unusable key, an expiry it will not sign, a subject
/// it cannot encode). The counter checks its rules first, so this is a defect or a data problem to investigate, not a
/// refusal for the clerk to explain.
/// </summary>
public sealed class AuthorityRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuthorityRefusedException()
    {
    }

    /// <summary>Creates the exception with the authority's sentence.</summary>
    public AuthorityRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the authority's stable code (e.g. <c>request-id-reused</c>, <c>outlives-ca</c>) and sentence.</summary>
    public AuthorityRefusedException(string? code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The authority's stable refusal code, when it gave one.</summary>
    public string? Code { get; }

    /// <summary>Creates the exception with the authority's sentence and the cause.</summary>
    public AuthorityRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
