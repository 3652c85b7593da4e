using Jpki.Authority.Ca;
using Jpki.Verification;

namespace Jpki.Server.OnlineApplication;

/// <summary>
/// Verifies a submitted request with <c>Jpki.Verification</c>: trust anchors = this server's two CAs, path at the
/// injected clock's now, revocation asked of the authority in-process (OCSP first, then the current CRL; fail closed),
/// detached CMS over exactly the submitted bytes, signature certificate only (the library's kind check).
/// </summary>
internal sealed class SignedRequestVerifier : IDisposable
{
    private readonly JpkiVerifier _verifier;
    private readonly HttpClient _http;

    public SignedRequestVerifier(AuthorityRuntime authority, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _verifier = InProcessAuthorityHandler.CreateVerifier(authority, clock, out _http);
    }

    public Task<SignatureVerification> VerifyAsync(ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
        => _verifier.VerifyDetachedAsync(signature, document, cancellationToken: cancellationToken);

    public void Dispose() => _http.Dispose();
}
