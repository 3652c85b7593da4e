using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Jpki.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// Issue 7, security: on an authority in production mode (signature revocation data not opened), signature-CA OCSP, the
/// signature CRL and linkage are given to registered verifiers only, whatever shape the request takes; the
/// authentication CA's data stays open (docs/security.md, "Revocation data access").
/// </summary>
public sealed class RevocationAccessTests(RevocationAccessTests.Fixture fixture) : IClassFixture<RevocationAccessTests.Fixture>
{
    private const string VerifierKey = Fixture.VerifierKey;
    private const int OcspUnauthorized = 6;
    private readonly CertificateRecord _sign = fixture.Sign;
    private readonly CertificateRecord _auth = fixture.Auth;

    private AuthorityTestServer Server => fixture.Server;

    private CertificateAuthority Authority => Server.Authority;

    /// <summary>One production-mode server for the class: starting one costs two delegated OCSP signer keys.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const string VerifierKey = "Vk-7f3a9c1e5b2d";

        private AuthorityTestServer? _server;

        internal AuthorityTestServer Server => _server!;

        public CertificateRecord Sign { get; private set; } = null!;

        public CertificateRecord Auth { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _server = await AuthorityTestServer.StartAsync(new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero)), new AuthorityOptions { VerifierKeys = [VerifierKey] });
            Assert.False(_server.Authority.Options.OpenSignatureRevocationData);
            Sign = await IssueAsync(_server.Authority, CertificateKind.Signature);
            Auth = await IssueAsync(_server.Authority, CertificateKind.Authentication);
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }

    private static Task<CertificateRecord> IssueAsync(CertificateAuthority authority, CertificateKind kind) => authority.IssueAsync(
        new IssueRequest(kind, TestKeys.SubjectSpki(), "CARD1", "H1", new DateOnly(2031, 2, 17), kind == CertificateKind.Signature ? Fixtures.Taro : null, null, "test"),
        CancellationToken.None);

    private static CertificateID Id(byte[] caDer, string serialHex)
        => new(CertificateID.DigestSha1, new X509CertificateParser().ReadCertificate(caDer), new BigInteger(serialHex, 16));

    private static byte[] Request(params CertificateID[] ids)
    {
        var generator = new OcspReqGenerator();
        foreach (var id in ids)
        {
            generator.AddRequest(id);
        }

        return generator.Generate().GetEncoded();
    }

    private async Task<byte[]> PostOcspAsync(byte[] request, Action<HttpRequestMessage>? credentials = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/ocsp") { Content = new ByteArrayContent(request) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        credentials?.Invoke(message);
        using var response = await Server.Http.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<byte[]> GetOcspAsync(byte[] request, Action<HttpRequestMessage>? credentials = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "/ocsp/" + Uri.EscapeDataString(Convert.ToBase64String(request)));
        credentials?.Invoke(message);
        using var response = await Server.Http.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static Action<HttpRequestMessage> Header(string name, string value) => m => m.Headers.TryAddWithoutValidation(name, value);

    [Fact]
    public async Task OcspGet_SignCertificate_AnonymousUnauthorized_VerifierGood()
    {
        var request = OcspClient.Request(Authority.SignCa.CertificateDer, _sign.SerialHex);

        var anonymous = await GetOcspAsync(request);
        var verifier = await GetOcspAsync(request, Header("X-Jpki-Verifier-Key", VerifierKey));

        Assert.Equal(OcspUnauthorized, OcspClient.Status(anonymous));
        Assert.Null(OcspClient.Read(verifier, Authority.SignCa.CertificateDer).Single.GetCertStatus());
    }

    [Fact]
    public async Task OcspGetAndPost_AuthCertificate_OpenToAnyone()
    {
        var request = OcspClient.Request(Authority.AuthCa.CertificateDer, _auth.SerialHex);

        Assert.Null(OcspClient.Read(await GetOcspAsync(request), Authority.AuthCa.CertificateDer).Single.GetCertStatus());
        Assert.Null(OcspClient.Read(await PostOcspAsync(request), Authority.AuthCa.CertificateDer).Single.GetCertStatus());
        using var crl = await Server.Http.GetAsync(new Uri("/crl/auth.crl", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, crl.StatusCode);
    }

    [Fact]
    public async Task OcspPost_SignAndAuthCertIdsMixed_UnauthorizedInEitherOrder()
    {
        var sign = Id(Authority.SignCa.CertificateDer, _sign.SerialHex);
        var auth = Id(Authority.AuthCa.CertificateDer, _auth.SerialHex);

        foreach (var request in new[] { Request(auth, sign), Request(sign, auth), Request(auth, auth, sign) })
        {
            Assert.Equal(OcspUnauthorized, OcspClient.Status(await PostOcspAsync(request)));
            Assert.Equal(OcspUnauthorized, OcspClient.Status(await GetOcspAsync(request)));
        }
    }

    [Fact]
    public async Task OcspPost_SeveralSignCertIds_AnonymousUnauthorized_VerifierAnswered()
    {
        var second = await IssueAsync(Authority, CertificateKind.Signature);
        var request = Request(Id(Authority.SignCa.CertificateDer, _sign.SerialHex), Id(Authority.SignCa.CertificateDer, second.SerialHex));

        Assert.Equal(OcspUnauthorized, OcspClient.Status(await PostOcspAsync(request)));
        var answer = new OcspResp(await PostOcspAsync(request, m => m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", VerifierKey)));
        Assert.Equal(0, answer.Status);
        Assert.Equal(2, ((BasicOcspResp)answer.GetResponseObject()).Responses.Length);
    }

    public static TheoryData<string, bool> ForgedIssuerHashes => new()
    {
        // (issuer name hash of, issuer key hash of): only a consistent pair names a CA; a mixed pair names none.
        { "sign-name/auth-key", true },
        { "auth-name/sign-key", true },
        { "sign-name/random-key", true },
        { "sign-name/sign-key", false },
    };

    [Theory]
    [MemberData(nameof(ForgedIssuerHashes))]
    public async Task OcspPost_SignSerialWithForgedIssuerHashes_Unauthorized(string pair, bool forged)
    {
        var signDer = Authority.SignCa.CertificateDer;
        var authDer = Authority.AuthCa.CertificateDer;
        var (nameOf, keyOf) = pair switch
        {
            "sign-name/auth-key" => (signDer, authDer),
            "auth-name/sign-key" => (authDer, signDer),
            _ => (signDer, signDer),
        };
        var nameHash = Id(nameOf, _sign.SerialHex).GetIssuerNameHash();
        var keyHash = pair.EndsWith("random-key", StringComparison.Ordinal) ? RandomNumberGenerator.GetBytes(20) : Id(keyOf, _sign.SerialHex).GetIssuerKeyHash();
        var certId = new CertificateID(new CertID(
            new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, DerNull.Instance),
            new DerOctetString(nameHash),
            new DerOctetString(keyHash),
            new DerInteger(new BigInteger(_sign.SerialHex, 16))));

        var anonymous = OcspClient.Status(await PostOcspAsync(Request(certId)));
        var verifier = OcspClient.Status(await PostOcspAsync(Request(certId), Header("X-Jpki-Verifier-Key", VerifierKey)));

        Assert.Equal(OcspUnauthorized, anonymous);
        Assert.Equal(forged ? OcspUnauthorized : 0, verifier);
    }

    public static TheoryData<string, string, bool> Credentials => new()
    {
        { "X-Jpki-Verifier-Key", VerifierKey, true },
        { "x-jpki-verifier-key", VerifierKey, true },
        { "X-JPKI-VERIFIER-KEY", VerifierKey, true },
        { "Authorization", "Bearer " + VerifierKey, true },
        { "Authorization", "bearer " + VerifierKey, true },
        { "X-Jpki-Verifier-Key", VerifierKey[..^1], false },
        { "X-Jpki-Verifier-Key", VerifierKey[..1], false },
        { "X-Jpki-Verifier-Key", VerifierKey + "0", false },
        { "X-Jpki-Verifier-Key", VerifierKey.ToUpperInvariant(), false },
        { "X-Jpki-Verifier-Key", VerifierKey + "," + VerifierKey, false },
        { "X-Jpki-Verifier-Key", "", false },
        { "Authorization", "Bearer", false },
        { "Authorization", "Bearer " + VerifierKey[..^1], false },
        { "Authorization", "Basic " + VerifierKey, false },
        { "Authorization", VerifierKey, false },
        { "X-Jpki-Verifier", VerifierKey, false },
        { "X-Api-Key", VerifierKey, false },
    };

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task SignRevocationData_CredentialVariants_OnlyTheRegisteredKeyOpens(string header, string value, bool allowed)
    {
        var credentials = Header(header, value);
        var ocsp = OcspClient.Request(Authority.SignCa.CertificateDer, _sign.SerialHex);

        var post = OcspClient.Status(await PostOcspAsync(ocsp, credentials));
        var get = OcspClient.Status(await GetOcspAsync(ocsp, credentials));
        var crl = await SendAsync("/crl/sign.crl", credentials);
        var linkage = await SendAsync("/linkage/" + _sign.SerialHex, credentials);

        Assert.Equal(allowed ? 0 : OcspUnauthorized, post);
        Assert.Equal(allowed ? 0 : OcspUnauthorized, get);
        foreach (var status in new[] { crl, linkage })
        {
            if (allowed)
            {
                Assert.Equal(HttpStatusCode.OK, status);
            }
            else
            {
                Assert.Contains(status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
            }
        }
    }

    [Fact]
    public async Task SignRevocationData_KeyInQueryOrCookie_NotAccepted()
    {
        var query = await SendAsync("/crl/sign.crl?key=" + VerifierKey, null);
        var cookie = await SendAsync("/crl/sign.crl", Header("Cookie", "X-Jpki-Verifier-Key=" + VerifierKey));

        Assert.Equal(HttpStatusCode.Unauthorized, query);
        Assert.Equal(HttpStatusCode.Unauthorized, cookie);
    }

    [Theory]
    [InlineData("/crl/SIGN.crl")]
    [InlineData("/crl/sign.CRL")]
    [InlineData("/crl/sign.crl/")]
    [InlineData("/crl/./sign.crl")]
    [InlineData("/crl/auth.crl/../sign.crl")]
    [InlineData("/crl/%73ign.crl")]
    [InlineData("//crl/sign.crl")]
    public async Task SignCrl_PathVariants_NeverServedAnonymously(string path)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.Url + path, UriKind.Absolute));
        using var response = await Server.Http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.Length > 2 && body[0] == 0x30, "no DER answer");
    }

    [Fact]
    public async Task SignCrl_Head_NotServedAnonymously()
    {
        using var message = new HttpRequestMessage(HttpMethod.Head, "/crl/sign.crl");
        using var response = await Server.Http.SendAsync(message);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpStatusCode> SendAsync(string path, Action<HttpRequestMessage>? credentials)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        credentials?.Invoke(message);
        using var response = await Server.Http.SendAsync(message);
        return response.StatusCode;
    }
}
