using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Ocsp;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

using Jpki.Server.Tests.Support;

namespace Jpki.Server.Tests;

/// <summary>
/// Verifiers identified by a TLS client certificate (JPKI-REFERENCE §8.2) on a real HTTPS endpoint: a registered
/// thumbprint, a certificate issued by a registered verifier CA, an unknown certificate, and no certificate.
/// </summary>
public sealed class VerifierClientCertificateTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private readonly X509Certificate2 _server;
    private readonly X509Certificate2 _verifierCa;
    private readonly X509Certificate2 _registered;
    private readonly X509Certificate2 _issuedByVerifierCa;
    private readonly X509Certificate2 _unknown;
    private AuthorityTestServer? _authority;
    private string _signSerial = "";

    public VerifierClientCertificateTests()
    {
        var now = _clock.GetUtcNow();
        _server = SelfSigned("CN=127.0.0.1", now, serverAuth: true);
        _verifierCa = SelfSigned("CN=Verifier CA, O=Relying Party", now, serverAuth: false, isCa: true);
        _registered = SelfSigned("CN=Registered verifier", now, serverAuth: false);
        _unknown = SelfSigned("CN=Unknown client", now, serverAuth: false);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Verifier by CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(_verifierCa, now.AddMinutes(-5), now.AddDays(1), [0x42]);
        _issuedByVerifierCa = Reload(issued.CopyWithPrivateKey(key));
    }

    public async Task InitializeAsync()
    {
        _authority = await AuthorityTestServer.StartAsync(
            _clock,
            new AuthorityOptions
            {
                VerifierKeys = ["api-key"],
                VerifierCertificateThumbprints = [VerifierAccess.Thumbprint(_registered.RawData)],
                VerifierIssuers = [_verifierCa.RawData],
            },
            _server);
        var record = await _authority.Authority.IssueAsync(
            new IssueRequest(CertificateKind.Signature, TestKeys.SubjectSpki(), "CARD1", "H1", new DateOnly(2031, 2, 17), Fixtures.Taro, null, "test"),
            CancellationToken.None);
        _signSerial = record.SerialHex;
    }

    public async Task DisposeAsync()
    {
        if (_authority is not null)
        {
            await _authority.DisposeAsync();
        }

        foreach (var certificate in new[] { _server, _verifierCa, _registered, _issuedByVerifierCa, _unknown })
        {
            certificate.Dispose();
        }
    }

    public static TheoryData<string, HttpStatusCode> Clients => new()
    {
        { "registered", HttpStatusCode.OK },
        { "issued-by-verifier-ca", HttpStatusCode.OK },
        { "unknown", HttpStatusCode.Forbidden },
        { "none", HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Linkage_OverHttps_ClientCertificateDecides(string client, HttpStatusCode expected)
    {
        using var http = Client(client);

        using var response = await http.GetAsync(new Uri($"/linkage/{_signSerial}", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task SignCrl_OverHttps_ClientCertificateDecides(string client, HttpStatusCode expected)
    {
        using var http = Client(client);

        using var response = await http.GetAsync(new Uri("/crl/sign.crl", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task SignCrl_OverHttps_ApiKeyStillWorksWithoutCertificate()
    {
        using var http = Client("none");
        http.DefaultRequestHeaders.Add(VerifierAccess.HeaderName, "api-key");

        using var response = await http.GetAsync(new Uri("/crl/sign.crl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private HttpClient Client(string client)
    {
        var certificate = client switch
        {
            "registered" => _registered,
            "issued-by-verifier-ca" => _issuedByVerifierCa,
            "unknown" => _unknown,
            _ => null,
        };
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(_server.RawData);
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(_authority!.Url) };
    }

    private static X509Certificate2 SelfSigned(string subject, DateTimeOffset now, bool serverAuth, bool isCa = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (isCa)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }
        else
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        }

        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return Reload(certificate);
    }

    /// <summary>A PKCS#12 round trip, so that SslStream can use the private key.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
