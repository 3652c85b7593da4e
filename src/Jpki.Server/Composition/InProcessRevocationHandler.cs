using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Core.Identity;

namespace Jpki.Server.Composition;

/// <summary>
/// Answers a relying party's revocation requests from the authority in the same process, without a network hop:
/// <c>POST …/ocsp</c> from the OCSP responder (as a registered verifier) and <c>GET …/crl/{sign,auth}.crl</c> from the
/// current CRLs. Anything else is 404. The relying party speaks plain OCSP and CRL over HTTP either way.
/// </summary>
internal sealed class InProcessRevocationHandler(AuthorityRuntime authority) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (request.Method == HttpMethod.Post && path.EndsWith("/ocsp", StringComparison.Ordinal))
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var answer = await authority.Ocsp.RespondAsync(body, verifierAuthorised: true, cancellationToken).ConfigureAwait(false);
            return Answer(request, answer.Der.ToArray(), "application/ocsp-response");
        }

        if (request.Method == HttpMethod.Get && path.StartsWith("/crl/", StringComparison.Ordinal) && path.EndsWith(".crl", StringComparison.Ordinal)
            && Jpki.Authority.Contracts.WireNames.TryParseKind(path["/crl/".Length..^".crl".Length], out CertificateKind kind))
        {
            var crl = await authority.Crls.GetCurrentAsync(kind, cancellationToken).ConfigureAwait(false);
            return Answer(request, await File.ReadAllBytesAsync(crl.Path, cancellationToken).ConfigureAwait(false), "application/pkix-crl");
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
    }

    /// <summary>What an e-application in this process trusts and asks: the two CAs, and this handler.</summary>
    public static Jpki.OnlineApplication.OnlineApplicationTrust TrustFor(AuthorityRuntime authority) => new(
        [authority.Authority.SignCa.CertificateDer, authority.Authority.AuthCa.CertificateDer],
        new Uri("http://authority.in-process/ocsp"),
        new Uri("http://authority.in-process/crl/sign.crl"),
        new InProcessRevocationHandler(authority));

    private static HttpResponseMessage Answer(HttpRequestMessage request, byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
