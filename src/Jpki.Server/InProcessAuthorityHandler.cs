using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Core.Identity;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Server;

/// <summary>
/// Answers a verifier's OCSP requests (<c>/ocsp</c>), CRL downloads (<c>/crl/sign.crl</c>, <c>/crl/auth.crl</c>) and
/// time-stamp requests (<c>/tsa</c>, for keeping accepted e-applications at B-LTA)
/// from the authority in the same process, without a network hop: the server's own relying parties (e-application,
/// OIDC provider) are registered verifiers of it.
/// </summary>
internal sealed class InProcessAuthorityHandler(AuthorityRuntime authority) : HttpMessageHandler
{
    private static readonly Uri Base = new("http://authority.in-process/");

    /// <summary>
    /// A verifier that trusts both of the authority's CAs, pinned (so the wrong kind is reported as such, not as untrusted) and
    /// asks its OCSP responder (pre-signed answers, not cached by the client, so a revocation is seen at once), then the
    /// current CRL of the certificate's CA, through <paramref name="http"/> (a client over this handler, which the caller disposes).
    /// </summary>
    public static JpkiVerifier CreateVerifier(AuthorityRuntime authority, TimeProvider clock, HttpClient http, Microsoft.Extensions.Logging.ILogger<JpkiVerifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        // The server's own CAs, pinned by their bytes (a J-LIS-named root is trusted only pinned).
        var trust = new TrustStoreBuilder();
        foreach (var ca in new[] { authority.Authority.SignCa, authority.Authority.AuthCa })
        {
            trust.PinJlisFingerprint(ca.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)).AddRoot(ca.CertificateDer);
        }

        var ocsp = new OcspRevocationSource(http, clock, new OcspOptions { ResponderUri = new Uri(Base, "ocsp"), CacheAnswers = false, SendNonce = false });
        var signCrl = new CrlRevocationSource(http, new CrlSourceOptions { DownloadUri = new Uri(Base, "crl/sign.crl") });
        var authCrl = new CrlRevocationSource(http, new CrlSourceOptions { DownloadUri = new Uri(Base, "crl/auth.crl") });
        // A test-environment authority issues the test policies (1.2.392.200149.8.5.1.0.20/.30): its own relying parties accept them.
        var options = new VerifierOptions { Path = new() { AllowTestPolicy = authority.Authority.SignCa.Names.TestEnvironment } };
        return new JpkiVerifier(trust.Build(), [ocsp, signCrl, authCrl], clock, options, logger);
    }

    /// <summary>What the e-application in this process trusts and asks (the same as <see cref="CreateVerifier"/>): the two CAs, and this handler.</summary>
    public static Jpki.OnlineApplication.OnlineApplicationTrust OnlineApplicationTrust(AuthorityRuntime authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return new(
            [authority.Authority.SignCa.CertificateDer, authority.Authority.AuthCa.CertificateDer],
            new Uri(Base, "ocsp"),
            [new Uri(Base, "crl/sign.crl"), new Uri(Base, "crl/auth.crl")],
            new InProcessAuthorityHandler(authority))
        {
            // As CreateVerifier: a test-environment authority's own relying parties accept its test policies.
            AllowTestPolicy = authority.Authority.SignCa.Names.TestEnvironment,
            // Accepted requests are kept at B-LTA with this authority's TSA, asked in-process.
            TsaUri = authority.Timestamps is null ? null : new Uri(Base, "tsa"),
            TsaRoots = authority.Timestamps is { } tsa ? [tsa.RootCertificate.RawData] : [],
        };
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
        else if (path == "/tsa" && authority.Timestamps is { } tsa && request.Method == HttpMethod.Post)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var answer = await tsa.RespondAsync(body, cancellationToken).ConfigureAwait(false);
            content = new ByteArrayContent(answer.Der);
            content.Headers.ContentType = new MediaTypeHeaderValue(Jpki.Authority.Tsa.TimestampAuthority.ReplyMediaType);
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
