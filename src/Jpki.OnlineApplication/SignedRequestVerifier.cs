using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.OnlineApplication;

/// <summary>
/// Verifies a submitted request with <c>Jpki.Verification</c>: trust anchors and revocation sources from
/// <see cref="OnlineApplicationTrust"/>, path at the injected clock's now, revocation by OCSP first, then the current
/// CRL (fail closed), detached CMS over exactly the submitted bytes, signature certificate only (the library's kind check).
/// </summary>
internal sealed class SignedRequestVerifier : IDisposable
{
    private readonly JpkiVerifier _verifier;
    private readonly HttpClient _http;

    public SignedRequestVerifier(OnlineApplicationTrust trust, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var roots = new TrustStoreBuilder();
        foreach (var root in trust.Roots)
        {
            // The roots this application was configured with, pinned by their own bytes (a J-LIS-named root is trusted only pinned).
            roots.PinJlisFingerprint(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(root))).AddRoot(root);
        }

        _http = trust.Handler is null ? new HttpClient() : new HttpClient(trust.Handler, disposeHandler: false);
        var ocsp = new OcspRevocationSource(_http, clock, new OcspOptions { ResponderUri = trust.OcspUri, CacheAnswers = false, SendNonce = false });
        IRevocationSource[] sources = [ocsp, .. trust.CrlUris.Select(uri => new CrlRevocationSource(_http, new CrlSourceOptions { DownloadUri = uri }))];
        _verifier = new JpkiVerifier(roots.Build(), sources, clock, new VerifierOptions { Path = new() { AllowTestPolicy = trust.AllowTestPolicy } });
    }

    public Task<SignatureVerification> VerifyAsync(ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
        => _verifier.VerifyDetachedAsync(signature, document, cancellationToken: cancellationToken);

    public void Dispose() => _http.Dispose();
}
