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

    /// <summary>Creates the exception with the authority's sentence and the cause.</summary>
    public AuthorityRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
