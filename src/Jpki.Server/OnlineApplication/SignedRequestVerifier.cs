using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Core.Identity;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Server.OnlineApplication;

/// <summary>
/// Verifies a submitted request with <c>Jpki.Verification</c>: trust anchors = this server's two CAs, path at the
/// injected clock's now, revocation asked of the authority in-process (OCSP first, then the current CRL; fail closed),
/// detached CMS over exactly the submitted bytes, signature certificate only (the library's kind check).
/// </summary>
internal sealed class SignedRequestVerifier : IDisposable
{
    private readonly JpkiVerifier _verifier;
    private readonly HttpClient _ocspHttp;
    private readonly HttpClient _crlHttp;

    public SignedRequestVerifier(AuthorityRuntime authority, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(authority);
        // Both roots: an authentication certificate then fails as the wrong kind (a reason the citizen can act on), not as
        // untrusted. They are this server's own CAs, pinned by their bytes (J-LIS-named roots are trusted only pinned).
        var trust = new TrustStoreBuilder();
        foreach (var ca in new[] { authority.Authority.SignCa, authority.Authority.AuthCa })
        {
            trust.PinJlisFingerprint(ca.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)).AddRoot(ca.CertificateDer);
        }

        _ocspHttp = new HttpClient(new InProcessOcspHandler(authority));
        _crlHttp = new HttpClient(new InProcessCrlHandler(authority));
        var ocsp = new OcspRevocationSource(_ocspHttp, clock, new OcspOptions { ResponderUri = new Uri("http://authority.in-process/ocsp"), CacheAnswers = false, SendNonce = false });
        var crl = new CrlRevocationSource(_crlHttp, new CrlSourceOptions { DownloadUri = new Uri("http://authority.in-process/crl/sign.crl") });
        // A test-environment authority issues the test policies (1.2.392.200149.8.5.1.0.20/.30): its own verifier accepts them.
        var options = new VerifierOptions { Path = new() { AllowTestPolicy = authority.Authority.SignCa.Names.TestEnvironment } };
        _verifier = new JpkiVerifier(trust.Build(), [ocsp, crl], clock, options);
    }

    public Task<SignatureVerification> VerifyAsync(ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
        => _verifier.VerifyDetachedAsync(signature, document, cancellationToken: cancellationToken);

    public void Dispose()
    {
        _ocspHttp.Dispose();
        _crlHttp.Dispose();
    }

    /// <summary>Answers OCSP requests from the authority's responder without a network hop (this server is a registered verifier of itself).</summary>
    private sealed class InProcessOcspHandler(AuthorityRuntime authority) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var answer = await authority.Ocsp.RespondAsync(body, verifierAuthorised: true, cancellationToken).ConfigureAwait(false);
            var content = new ByteArrayContent(answer.Der.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-response");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }

    /// <summary>Serves the authority's current signature CRL in-process.</summary>
    private sealed class InProcessCrlHandler(AuthorityRuntime authority) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var crl = await authority.Crls.GetCurrentAsync(CertificateKind.Signature, cancellationToken).ConfigureAwait(false);
            var bytes = await File.ReadAllBytesAsync(crl.Path, cancellationToken).ConfigureAwait(false);
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/pkix-crl");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }
}
