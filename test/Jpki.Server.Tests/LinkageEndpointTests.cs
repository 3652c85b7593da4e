using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

using Jpki.Server.Tests.Support;

namespace Jpki.Server.Tests;

/// <summary><c>GET /linkage/{serial}</c> (JPKI-REFERENCE §8.3) on a running server: registered verifiers only.</summary>
public sealed class LinkageEndpointTests : IAsyncLifetime
{
    private const string VerifierKey = "linkage-verifier-key";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
    private AuthorityTestServer? _server;

    private AuthorityTestServer Server => _server!;

    public async Task InitializeAsync() =>
        _server = await AuthorityTestServer.StartAsync(_clock, new AuthorityOptions { VerifierKeys = [VerifierKey] });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
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

    private Task<CertificateRecord> IssueAsync(CertificateKind kind, string? previous) => Server.Runtime.Authority.IssueAsync(
        new IssueRequest(kind, TestKeys.SubjectSpki(), "CARD1", "H1", new DateOnly(2031, 2, 17), kind == CertificateKind.Signature ? Fixtures.Taro : null, previous, "test"),
        CancellationToken.None);

    private Task<HttpResponseMessage> SendAsync(string serial, string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/linkage/" + serial);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return Server.Http.SendAsync(request);
    }
}
