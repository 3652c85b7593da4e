using System.Net;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Jpki.Municipality.Issuance;
using Jpki.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests;

/// <summary>The counter's issuer over HTTP against the authority API of a running server.</summary>
public sealed class HttpCertificateIssuerTests : IAsyncLifetime
{
    private const string RaKey = "counter-terminal-key";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));
    private AuthorityTestServer? _server;

    private AuthorityTestServer Server => _server!;

    public async Task InitializeAsync() =>
        _server = await AuthorityTestServer.StartAsync(_clock, new AuthorityOptions { RegistrationAuthorityKeys = [RaKey] });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task IssueFindRevoke_OverHttp_SameOutcomesAsInProcess()
    {
        var issuer = new HttpCertificateIssuer(Server.Http, RaKey, "Tokyo-to", "Kiyose-shi");
        var notAfter = new DateTimeOffset(2031, 2, 17, 14, 59, 59, TimeSpan.Zero);
        var info = Fixtures.Taro.ToBasicFourInfo();
        var sign = await issuer.IssueAsync(new CertificateIssueRequest(CertificateKind.Signature, TestKeys.SubjectSpki(), info, "CARD1", "H1", notAfter, null), CancellationToken.None);
        var auth = await issuer.IssueAsync(new CertificateIssueRequest(CertificateKind.Authentication, TestKeys.SubjectSpki(), null, "CARD1", "H1", notAfter, null), CancellationToken.None);
        Assert.Equal(CertificateKind.Signature, sign.Kind);
        Assert.Equal(Fixtures.Taro.Name, Jpki.Authority.Profiles.JpkiCertificateParser.Parse(sign.Der.Span).Signature?.Name);
        Assert.Equal((await Server.Registry.FindBySerialAsync(auth.SerialHex, CancellationToken.None))!.Der.ToArray(), auth.Der.ToArray());

        var held = await issuer.FindByHolderAsync("H1", CancellationToken.None);
        Assert.Equal(new[] { sign.SerialHex, auth.SerialHex }.Order(StringComparer.Ordinal), held.Select(r => r.SerialHex).Order(StringComparer.Ordinal));

        Assert.Equal(RevokeResult.Revoked, await issuer.RevokeAsync(auth.SerialHex, RevocationReason.KeyCompromise, CancellationToken.None));
        Assert.Equal(RevokeResult.AlreadyRevoked, await issuer.RevokeAsync(auth.SerialHex, RevocationReason.Superseded, CancellationToken.None));
        Assert.Equal(RevokeResult.NotFound, await issuer.RevokeAsync("0ABC", RevocationReason.Unspecified, CancellationToken.None));
        var revoked = Assert.Single(await issuer.FindByHolderAsync("H1", CancellationToken.None), r => r.Revocation is not null);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.Revocation!.Reason);
    }

    [Fact]
    public async Task Issue_BadKey_ArgumentExceptionAndNothingStored()
    {
        var issuer = new HttpCertificateIssuer(Server.Http, RaKey, "Tokyo-to", "Kiyose-shi");
        await Assert.ThrowsAsync<ArgumentException>(() => issuer.IssueAsync(
            new CertificateIssueRequest(CertificateKind.Authentication, new byte[] { 1, 2, 3 }, null, "CARD1", "H1", new DateTimeOffset(2031, 2, 17, 0, 0, 0, TimeSpan.Zero), null),
            CancellationToken.None));
        Assert.Equal(0, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_UnregisteredKey_HttpRequestExceptionWith403()
    {
        var issuer = new HttpCertificateIssuer(Server.Http, "not-registered", "Tokyo-to", "Kiyose-shi");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => issuer.IssueAsync(
            new CertificateIssueRequest(CertificateKind.Authentication, TestKeys.SubjectSpki(), null, "CARD1", "H1", new DateTimeOffset(2031, 2, 17, 0, 0, 0, TimeSpan.Zero), null),
            CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, Server.Registry.Count);
    }
}
