namespace Jpki.OnlineApplication;

/// <summary>
/// How the online application checks a signed request, as any relying party does: the CA certificates it trusts and
/// where it asks about revocation (OCSP first, then the CRL; fail closed).
/// </summary>
/// <param name="Roots">The trusted CA certificates (DER): both JPKI CAs, so that an authentication certificate fails as the wrong kind, not as untrusted.</param>
/// <param name="OcspUri">The OCSP responder.</param>
/// <param name="CrlUris">The CRLs to fall back on (the signature CA's, and the authentication CA's so that a wrong-kind certificate is judged too).</param>
/// <param name="Handler">
/// The HTTP handler for both (null = the network). A host that runs the authority in the same process may answer
/// in-process; the application does not know the difference.
/// </param>
public sealed record OnlineApplicationTrust(IReadOnlyList<byte[]> Roots, Uri OcspUri, IReadOnlyList<Uri> CrlUris, HttpMessageHandler? Handler = null)
{
    /// <summary>
    /// Accept certificates of the test environment's policies (1.2.392.200149.8.5.1.0.20/.30): only for an application
    /// run against a test authority (the sandbox), never in production.
    /// </summary>
    public bool AllowTestPolicy { get; init; }

    /// <summary>
    /// The RFC 3161 time-stamping authority (through <see cref="Handler"/>) that keeps accepted requests at B-LTA, or null:
    /// then a request is stored as submitted (and a re-verification years later depends on revocation data still being
    /// published).
    /// </summary>
    public Uri? TsaUri { get; init; }

    /// <summary>The TSA roots (DER) whose time-stamps are proof of existence when an archived request is re-verified.</summary>
    public IReadOnlyList<byte[]> TsaRoots { get; init; } = [];
}
