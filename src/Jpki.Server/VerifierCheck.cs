namespace Jpki.Server;

/// <summary>
/// Whether a request comes from a registered verifier (JPKI-REFERENCE §8.2): an API key in <c>X-Jpki-Verifier-Key</c> or
/// <c>Authorization: Bearer</c>, or a TLS client certificate on an HTTPS endpoint.
/// </summary>
internal enum VerifierCheck
{
    /// <summary>A registered verifier, or the deployment opened the data.</summary>
    Allowed,

    /// <summary>No key and no client certificate: 401.</summary>
    NoCredential,

    /// <summary>A key or certificate was presented but is not registered: 403.</summary>
    Refused,
}
