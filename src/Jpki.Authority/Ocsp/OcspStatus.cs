namespace Jpki.Authority.Ocsp;

/// <summary>OCSPResponseStatus (RFC 6960 §4.2.1).</summary>
public enum OcspStatus
{
    /// <summary>0: the response carries certificate statuses.</summary>
    Successful = 0,

    /// <summary>1: the request could not be parsed.</summary>
    MalformedRequest = 1,

    /// <summary>2: the responder failed.</summary>
    InternalError = 2,

    /// <summary>6: the responder may not answer this client for this issuer.</summary>
    Unauthorized = 6,
}
