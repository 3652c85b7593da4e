using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

using Jpki.Server.Tests.Support;

namespace Jpki.Server.Tests;

/// <summary>The authority endpoints on a running server (loopback, free port), checked with openssl as the client.</summary>
public sealed class AuthorityEndpointTests : IAsyncLifetime
{
    private const string VerifierKey = "test-verifier-key";
    // openssl checks thisUpdate/nextUpdate against the real clock, so the fake clock starts at the real time.
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private AuthorityTestServer? _server;

    private AuthorityTestServer Server => _server!;

    private CertificateAuthority Authority => Server.Authority;

    public async Task InitializeAsync()
    {
        _server = await AuthorityTestServer.StartAsync(_clock, new AuthorityOptions { VerifierKeys = [VerifierKey] });
        File.WriteAllText(Server.Dir.File("sign.pem"), OpenSsl.Pem("CERTIFICATE", Authority.SignCa.CertificateDer));
        File.WriteAllText(Server.Dir.File("auth.pem"), OpenSsl.Pem("CERTIFICATE", Authority.AuthCa.CertificateDer));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private Task<CertificateRecord> IssueAsync(CertificateKind kind) => Authority.IssueAsync(
        new IssueRequest(kind, TestKeys.SubjectSpki(), "CARD1", "H1", new DateOnly(2031, 2, 17), kind == CertificateKind.Signature ? Fixtures.Taro : null, null, "test"),
        CancellationToken.None);

    private (int Exit, string Output) OpenSslOcsp(string caPem, string serialHex, params string[] extra)
    {
        var (exit, stdout, stderr) = OpenSsl.Run(["ocsp", "-issuer", Server.Dir.File(caPem), "-CAfile", Server.Dir.File(caPem), "-serial", "0x" + serialHex, "-url", Server.Url + "/ocsp", .. extra]);
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
        // Backdated to a minute after issuance (a revocation in the future is refused; issue 12).
        var revokedAt = record.NotBefore.AddMinutes(1).AddSeconds(3);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await Authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, revokedAt, "test", CancellationToken.None);
        var (_, revoked) = OpenSslOcsp("auth.pem", record.SerialHex, "-no_nonce");
        Assert.Contains("Response verify OK", revoked, StringComparison.Ordinal);
        Assert.Contains($"0x{record.SerialHex}: revoked", revoked, StringComparison.Ordinal);
        Assert.Contains("Reason: keyCompromise", revoked, StringComparison.Ordinal);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Revocation Time: {revokedAt.UtcDateTime:MMM} {revokedAt.UtcDateTime.Day,2} {revokedAt.UtcDateTime:HH:mm:ss yyyy} GMT"), revoked, StringComparison.Ordinal);
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
        using var response = await Server.Http.GetAsync(new Uri("/ocsp/" + Uri.EscapeDataString(Convert.ToBase64String(request)), UriKind.Relative));
        Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType!.MediaType);
        var (single, _) = OcspClient.Read(await response.Content.ReadAsByteArrayAsync(), Authority.AuthCa.CertificateDer);
        Assert.Null(single.GetCertStatus());
    }

    [Fact]
    public async Task OcspPost_Garbage_MalformedRequest()
    {
        using var content = new ByteArrayContent([0x30, 0x01, 0x00]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await Server.Http.PostAsync(new Uri("/ocsp", UriKind.Relative), content);
        Assert.Equal(1, OcspClient.Status(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Crl_AuthRevoked_OpenSslVerifiesAndListsSerial()
    {
        var record = await IssueAsync(CertificateKind.Authentication);
        await Authority.RevokeAsync(record.SerialHex, RevocationReason.CessationOfOperation, null, "test", CancellationToken.None);
        await Server.Runtime.Crls.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);
        using var response = await Server.Http.GetAsync(new Uri("/crl/auth.crl", UriKind.Relative));
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType!.MediaType);
        File.WriteAllBytes(Server.Dir.File("auth.crl"), await response.Content.ReadAsByteArrayAsync());
        var (exit, text, error) = OpenSsl.Run("crl", "-inform", "DER", "-in", Server.Dir.File("auth.crl"), "-CAfile", Server.Dir.File("auth.pem"), "-verify", "-text", "-noout");
        Assert.True(exit == 0, error);
        Assert.Contains("Serial Number: " + record.SerialHex, text, StringComparison.Ordinal);
        Assert.Contains("Cessation Of Operation", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crl_Sign_UnauthorizedWithoutKey_ForbiddenWithWrongKey_OkWithVerifierKey()
    {
        using var anonymous = await Server.Http.GetAsync(new Uri("/crl/sign.crl", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/crl/sign.crl");
        wrong.Headers.Add("X-Jpki-Verifier-Key", "not-" + VerifierKey);
        using var refused = await Server.Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/crl/sign.crl");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", VerifierKey);
        using var allowed = await Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task CaCertificates_ServedAsPkixCert()
    {
        using var response = await Server.Http.GetAsync(new Uri("/ca/sign.cer", UriKind.Relative));
        Assert.Equal("application/pkix-cert", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Authority.SignCa.CertificateDer, await response.Content.ReadAsByteArrayAsync());
        var home = await Server.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("/ocsp", home, StringComparison.Ordinal);
    }
}
