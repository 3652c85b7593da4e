using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests;

/// <summary>The authority endpoints on a running server (loopback, free port), checked with openssl as the client.</summary>
public sealed class AuthorityEndpointTests : IAsyncLifetime
{
    private const string VerifierKey = "test-verifier-key";
    private readonly TempDir _dir = new();

    // openssl checks thisUpdate/nextUpdate against the real clock, so the fake clock starts at the real time.
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private AuthorityRuntime? _runtime;
    private WebApplication? _app;
    private HttpClient? _http;
    private string _url = "";

    private CertificateAuthority Authority => _runtime!.Authority;

    public async Task InitializeAsync()
    {
        var authority = new CertificateAuthority(
            TestKeys.Ca(CertificateKind.Signature),
            TestKeys.Ca(CertificateKind.Authentication),
            _registry,
            _audit,
            _clock,
            new AuthorityOptions { VerifierKeys = [VerifierKey] });
        _runtime = new AuthorityRuntime(authority, _audit, _dir.File("crl"), [authority.SignCa, authority.AuthCa]);
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _dir.File("data"), Urls = "http://127.0.0.1:0" }, _clock, _runtime);
        await _app.StartAsync();
        _url = _app.Urls.First();
        _http = new HttpClient { BaseAddress = new Uri(_url) };
        File.WriteAllText(_dir.File("sign.pem"), OpenSsl.Pem("CERTIFICATE", authority.SignCa.CertificateDer));
        File.WriteAllText(_dir.File("auth.pem"), OpenSsl.Pem("CERTIFICATE", authority.AuthCa.CertificateDer));
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        _dir.Dispose();
    }

    private Task<CertificateRecord> IssueAsync(CertificateKind kind) => Authority.IssueAsync(
        new IssueRequest(kind, TestKeys.SubjectSpki(), "CARD1", "H1", new DateOnly(2031, 2, 17), kind == CertificateKind.Signature ? Fixtures.Taro : null, null, "test"),
        CancellationToken.None);

    private (int Exit, string Output) OpenSslOcsp(string caPem, string serialHex, params string[] extra)
    {
        var (exit, stdout, stderr) = OpenSsl.Run(["ocsp", "-issuer", _dir.File(caPem), "-CAfile", _dir.File(caPem), "-serial", "0x" + serialHex, "-url", _url + "/ocsp", .. extra]);
        return (exit, stdout + stderr);
    }

    [Fact]
    public async Task OpenSslOcsp_AuthCertificate_GoodThenRevokedWithReasonAndTime()
    {
        var record = await IssueAsync(CertificateKind.Authentication);
        var (exit, good) = OpenSslOcsp("auth.pem", record.SerialHex);
        Assert.True(exit == 0, good);
        Assert.Contains("Response verify OK", good, StringComparison.Ordinal);
        Assert.Contains($"0x{record.SerialHex}: good", good, StringComparison.Ordinal);

        // Once without a nonce, to go through the pre-signed cache, then revoke: no stale answer.
        Assert.Contains(": good", OpenSslOcsp("auth.pem", record.SerialHex, "-no_nonce").Output, StringComparison.Ordinal);
        await Authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, new DateTimeOffset(2026, 11, 20, 1, 2, 3, TimeSpan.Zero), "test", CancellationToken.None);
        var (_, revoked) = OpenSslOcsp("auth.pem", record.SerialHex, "-no_nonce");
        Assert.Contains("Response verify OK", revoked, StringComparison.Ordinal);
        Assert.Contains($"0x{record.SerialHex}: revoked", revoked, StringComparison.Ordinal);
        Assert.Contains("Reason: keyCompromise", revoked, StringComparison.Ordinal);
        Assert.Contains("Revocation Time: Nov 20 01:02:03 2026 GMT", revoked, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSslOcsp_UnknownSerial_Unknown()
    {
        var (exit, output) = OpenSslOcsp("auth.pem", "0123456789ABCDEF");
        Assert.True(exit == 0, output);
        Assert.Contains("Response verify OK", output, StringComparison.Ordinal);
        Assert.Contains("0x0123456789ABCDEF: unknown", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSslOcsp_SignCertificate_NeedsVerifierKey()
    {
        var record = await IssueAsync(CertificateKind.Signature);
        var (_, refused) = OpenSslOcsp("sign.pem", record.SerialHex);
        Assert.Contains("unauthorized", refused, StringComparison.Ordinal);
        var (exit, allowed) = OpenSslOcsp("sign.pem", record.SerialHex, "-header", "X-Jpki-Verifier-Key=" + VerifierKey);
        Assert.True(exit == 0, allowed);
        Assert.Contains($"0x{record.SerialHex}: good", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OcspGet_Base64Path_Answers()
    {
        var record = await IssueAsync(CertificateKind.Authentication);
        var request = OcspClient.Request(Authority.AuthCa.CertificateDer, record.SerialHex);
        using var response = await _http!.GetAsync(new Uri("/ocsp/" + Uri.EscapeDataString(Convert.ToBase64String(request)), UriKind.Relative));
        Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType!.MediaType);
        var (single, _) = OcspClient.Read(await response.Content.ReadAsByteArrayAsync(), Authority.AuthCa.CertificateDer);
        Assert.Null(single.GetCertStatus());
    }

    [Fact]
    public async Task OcspPost_Garbage_MalformedRequest()
    {
        using var content = new ByteArrayContent([0x30, 0x01, 0x00]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await _http!.PostAsync(new Uri("/ocsp", UriKind.Relative), content);
        Assert.Equal(1, OcspClient.Status(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Crl_AuthRevoked_OpenSslVerifiesAndListsSerial()
    {
        var record = await IssueAsync(CertificateKind.Authentication);
        await Authority.RevokeAsync(record.SerialHex, RevocationReason.CessationOfOperation, null, "test", CancellationToken.None);
        await _runtime!.Crls.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);
        using var response = await _http!.GetAsync(new Uri("/crl/auth.crl", UriKind.Relative));
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType!.MediaType);
        File.WriteAllBytes(_dir.File("auth.crl"), await response.Content.ReadAsByteArrayAsync());
        var (exit, text, error) = OpenSsl.Run("crl", "-inform", "DER", "-in", _dir.File("auth.crl"), "-CAfile", _dir.File("auth.pem"), "-verify", "-text", "-noout");
        Assert.True(exit == 0, error);
        Assert.Contains("Serial Number: " + record.SerialHex, text, StringComparison.Ordinal);
        Assert.Contains("Cessation Of Operation", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crl_Sign_UnauthorizedWithoutKey_ForbiddenWithWrongKey_OkWithVerifierKey()
    {
        using var anonymous = await _http!.GetAsync(new Uri("/crl/sign.crl", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/crl/sign.crl");
        wrong.Headers.Add("X-Jpki-Verifier-Key", "not-" + VerifierKey);
        using var refused = await _http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/crl/sign.crl");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", VerifierKey);
        using var allowed = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task CaCertificates_ServedAsPkixCert()
    {
        using var response = await _http!.GetAsync(new Uri("/ca/sign.cer", UriKind.Relative));
        Assert.Equal("application/pkix-cert", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Authority.SignCa.CertificateDer, await response.Content.ReadAsByteArrayAsync());
        var home = await _http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("/ocsp", home, StringComparison.Ordinal);
    }
}
