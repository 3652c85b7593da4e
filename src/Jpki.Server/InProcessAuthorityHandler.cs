using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Core.Identity;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Server;

/// <summary>
/// Answers a verifier's OCSP requests (<c>/ocsp</c>) and CRL downloads (<c>/crl/sign.crl</c>, <c>/crl/auth.crl</c>)
/// from the authority in the same process, without a network hop: the server's own relying parties (e-application,
/// OIDC provider) are registered verifiers of it.
/// </summary>
internal sealed class InProcessAuthorityHandler(AuthorityRuntime authority) : HttpMessageHandler
{
    private static readonly Uri Base = new("http://authority.in-process/");

    /// <summary>
    /// A verifier that trusts both of the authority's CAs (so the wrong kind is reported as such, not as untrusted) and
    /// asks its OCSP responder (pre-signed answers, not cached by the client, so a revocation is seen at once), then the
    /// current CRL of the certificate's CA. The caller disposes <paramref name="http"/>.
    /// </summary>
    public static JpkiVerifier CreateVerifier(AuthorityRuntime authority, TimeProvider clock, out HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var trust = new TrustStoreBuilder()
            .AddRoot(authority.Authority.SignCa.CertificateDer)
            .AddRoot(authority.Authority.AuthCa.CertificateDer)
            .Build();
        http = new HttpClient(new InProcessAuthorityHandler(authority));
        var ocsp = new OcspRevocationSource(http, clock, new OcspOptions { ResponderUri = new Uri(Base, "ocsp"), CacheAnswers = false, SendNonce = false });
        var signCrl = new CrlRevocationSource(http, new CrlSourceOptions { DownloadUri = new Uri(Base, "crl/sign.crl") });
        var authCrl = new CrlRevocationSource(http, new CrlSourceOptions { DownloadUri = new Uri(Base, "crl/auth.crl") });
        return new JpkiVerifier(trust, [ocsp, signCrl, authCrl], clock);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        ByteArrayContent content;
        if (path == "/ocsp")
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var answer = await authority.Ocsp.RespondAsync(body, verifierAuthorised: true, cancellationToken).ConfigureAwait(false);
            content = new ByteArrayContent(answer.Der.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-response");
        }
        else if (path is "/crl/sign.crl" or "/crl/auth.crl")
        {
            var crl = await authority.Crls.GetCurrentAsync(path == "/crl/sign.crl" ? CertificateKind.Signature : CertificateKind.Authentication, cancellationToken).ConfigureAwait(false);
            content = new ByteArrayContent(await File.ReadAllBytesAsync(crl.Path, cancellationToken).ConfigureAwait(false));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/pkix-crl");
        }
        else
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
