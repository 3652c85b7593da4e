namespace Jpki.Authority.Crl;

/// <summary>
/// No valid CRL of the asked scope is published (yet): the first publication of a new registry is still being built, the
/// publisher has been failing past the CRL's nextUpdate, or the scope is not one this CA publishes. Servers answer 503
/// (or 404 for an unknown scope); CRLs are never built on a request.
/// </summary>
public sealed class CrlNotPublishedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CrlNotPublishedException()
        : base("No CRL is published yet.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CrlNotPublishedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the publisher's last failure.</summary>
    public CrlNotPublishedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
