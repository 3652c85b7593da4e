using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests;

/// <summary><c>GET /linkage/{serial}</c> (JPKI-REFERENCE §8.3) on a running server: registered verifiers only.</summary>
public sealed class LinkageEndpointTests : IAsyncLifetime
{
    private const string VerifierKey = "linkage-verifier-key";
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private AuthorityRuntime? _runtime;
    private WebApplication? _app;
    private HttpClient? _http;

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
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
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

    [Fact]
    public async Task Linkage_RenewedAuthCertificate_AnswersCurrentChainAndSignLink()
    {
        var sign = await IssueAsync(CertificateKind.Signature, null);
        var oldAuth = await IssueAsync(CertificateKind.Authentication, null);
        var newAuth = await IssueAsync(CertificateKind.Authentication, oldAuth.SerialHex);

        using var response = await SendAsync(oldAuth.SerialHex, VerifierKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(oldAuth.SerialHex, root.GetProperty("serial").GetString());
        Assert.Equal("auth", root.GetProperty("kind").GetString());
        Assert.Equal(newAuth.SerialHex, root.GetProperty("current").GetString());
        Assert.Empty(root.GetProperty("predecessors").EnumerateArray());
        Assert.Equal([newAuth.SerialHex], root.GetProperty("successors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([sign.SerialHex], root.GetProperty("otherKind").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Linkage_FromTheNewCertificate_NamesItsPredecessorAndItselfAsCurrent()
    {
        var oldSign = await IssueAsync(CertificateKind.Signature, null);
        var newSign = await IssueAsync(CertificateKind.Signature, oldSign.SerialHex);

        using var response = await SendAsync(newSign.SerialHex.ToLowerInvariant(), VerifierKey);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(newSign.SerialHex, json.RootElement.GetProperty("current").GetString());
        Assert.Equal([oldSign.SerialHex], json.RootElement.GetProperty("predecessors").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("someone-else", HttpStatusCode.Forbidden)]
    public async Task Linkage_NotARegisteredVerifier_Refused(string? key, HttpStatusCode expected)
    {
        var record = await IssueAsync(CertificateKind.Authentication, null);

        using var response = await SendAsync(record.SerialHex, key);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(record.SerialHex, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789ABCDEF", HttpStatusCode.NotFound)]
    [InlineData("not-hex", HttpStatusCode.BadRequest)]
    public async Task Linkage_UnknownOrBadSerial_ProblemAnswer(string serial, HttpStatusCode expected)
    {
        using var response = await SendAsync(serial, VerifierKey);

        Assert.Equal(expected, response.StatusCode);
    }

    private Task<CertificateRecord> IssueAsync(CertificateKind kind, string? previous) => _runtime!.Authority.IssueAsync(
        new IssueRequest(kind, TestKeys.SubjectSpki(), "CARD1", "H1", new DateOnly(2031, 2, 17), kind == CertificateKind.Signature ? Fixtures.Taro : null, previous, "test"),
        CancellationToken.None);

    private Task<HttpResponseMessage> SendAsync(string serial, string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/linkage/" + serial);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return _http!.SendAsync(request);
    }
}
