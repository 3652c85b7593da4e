using System.Net;
using Jpki.Authority.Ca;
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
        var issuer = new HttpCertificateIssuer(Server.Http, RaKey);
        var t = Fixtures.Taro;
        var subject = new SignatureSubjectInfo("Tokyo-to", "Kiyose-shi", t.Name, t.NameSubstitutionFlags, t.Address, t.AddressSubstitutionFlags, t.DateOfBirth, t.Sex);
        var sign = await issuer.IssueAsync(Request(CertificateKind.Signature, TestKeys.SubjectSpki(), subject), CancellationToken.None);
        var auth = await issuer.IssueAsync(Request(CertificateKind.Authentication, TestKeys.SubjectSpki(), null), CancellationToken.None);
        Assert.Equal(CertificateKind.Signature, sign.Kind);
        Assert.Equal(Fixtures.Taro.Name, Jpki.Authority.Profiles.JpkiCertificateParser.Parse(sign.Der.Span).Signature?.Name);
        Assert.Equal((await Server.Registry.FindBySerialAsync(auth.Serial.Hex, CancellationToken.None))!.Der.ToArray(), auth.Der.ToArray());

        var held = await issuer.FindByHolderAsync(new HolderId("H1"), CancellationToken.None);
        Assert.Equal(new[] { sign.Serial.Hex, auth.Serial.Hex }.Order(StringComparer.Ordinal), held.Select(r => r.Serial.Hex).Order(StringComparer.Ordinal));

        Assert.Equal(RevokeResult.Revoked, await issuer.RevokeAsync(auth.Serial, RevocationReason.KeyCompromise, CancellationToken.None));
        Assert.Equal(RevokeResult.AlreadyRevoked, await issuer.RevokeAsync(auth.Serial, RevocationReason.Superseded, CancellationToken.None));
        Assert.Equal(RevokeResult.NotFound, await issuer.RevokeAsync(CertificateSerial.Parse("0ABC"), RevocationReason.Unspecified, CancellationToken.None));
        var revoked = Assert.Single(await issuer.FindByHolderAsync(new HolderId("H1"), CancellationToken.None), r => r.Revocation is not null);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.Revocation!.Reason);
    }

    [Fact]
    public async Task Issue_BadKey_AuthorityRefusedAndNothingStored()
    {
        var issuer = new HttpCertificateIssuer(Server.Http, RaKey);
        await Assert.ThrowsAsync<AuthorityRefusedException>(() => issuer.IssueAsync(Request(CertificateKind.Authentication, [1, 2, 3], null), CancellationToken.None));
        Assert.Equal(0, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_UnregisteredKey_HttpRequestExceptionWith403()
    {
        var issuer = new HttpCertificateIssuer(Server.Http, "not-registered");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => issuer.IssueAsync(Request(CertificateKind.Authentication, TestKeys.SubjectSpki(), null), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_AnswerLostAfterTheAuthorityCommitted_RetriedWithTheSameIdAndExactlyOneCertificate()
    {
        using var dropping = new DropFirstAnswersHandler(1) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(dropping) { BaseAddress = Server.Http.BaseAddress };
        var issuer = new HttpCertificateIssuer(http, RaKey, new HttpCertificateIssuerOptions { RetryDelay = TimeSpan.FromMilliseconds(20) });

        var issued = await issuer.IssueAsync(Request(CertificateKind.Authentication, TestKeys.SubjectSpki(), null), CancellationToken.None);

        Assert.Equal(2, dropping.Requests);
        var stored = Assert.Single(await Server.Registry.FindByHolderAsync("H1", CancellationToken.None));
        Assert.Equal(stored.SerialHex, issued.Serial.Hex);
        Assert.Equal(stored.Der.ToArray(), issued.Der.ToArray());
        Assert.Single(Server.Audit.Entries, e => e.Action == "cert.issue");
    }

    [Fact]
    public async Task Issue_AnswerLostWithoutRequestId_NotRetried()
    {
        // Without an id the outcome of a lost answer is unknown and a retry could issue twice: the caller is told.
        using var dropping = new DropFirstAnswersHandler(1) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(dropping) { BaseAddress = Server.Http.BaseAddress };
        var issuer = new HttpCertificateIssuer(http, RaKey, new HttpCertificateIssuerOptions { RetryDelay = TimeSpan.FromMilliseconds(20) });

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            issuer.IssueAsync(Request(CertificateKind.Authentication, TestKeys.SubjectSpki(), null) with { RequestId = null }, CancellationToken.None));

        Assert.Equal(1, dropping.Requests);
        Assert.Equal(1, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_AuthorityUnreachableLonger_ThanTheRetries_FailsAfterThem()
    {
        using var dropping = new DropFirstAnswersHandler(10) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(dropping) { BaseAddress = Server.Http.BaseAddress };
        var issuer = new HttpCertificateIssuer(http, RaKey, new HttpCertificateIssuerOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) });

        await Assert.ThrowsAsync<HttpRequestException>(() => issuer.IssueAsync(Request(CertificateKind.Authentication, TestKeys.SubjectSpki(), null), CancellationToken.None));

        Assert.Equal(3, dropping.Requests);
        Assert.Equal(1, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_SameIdOtherRequest_RefusedWithTheReusedCode()
    {
        var issuer = new HttpCertificateIssuer(Server.Http, RaKey);
        var request = Request(CertificateKind.Authentication, TestKeys.SubjectSpki(), null);
        await issuer.IssueAsync(request, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<AuthorityRefusedException>(() => issuer.IssueAsync(request with { CardId = new CardId("CARD2") }, CancellationToken.None));

        Assert.Equal(IssuanceRequestId.ReusedCode, refused.Code);
        Assert.Equal(1, Server.Registry.Count);
    }

    private static CertificateIssuance Request(CertificateKind kind, byte[] spki, SignatureSubjectInfo? subject) =>
        new(IssuanceRequestId.New(), kind, spki, new CardId("CARD1"), new HolderId("H1"), new DateOnly(2031, 2, 17), subject, null);
}

/// <summary>
/// Lets the request reach the server and the whole answer come back, then throws it away as a dropped connection
/// would, for the first <paramref name="drops"/> requests: the authority has committed, the client never hears it.
/// </summary>
internal sealed class DropFirstAnswersHandler(int drops) : DelegatingHandler
{
    private int _requests;

    public int Requests => _requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _requests);
        var response = await base.SendAsync(request, cancellationToken);
        if (number > drops)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        response.Dispose();
        throw new HttpRequestException("The connection was reset before the answer arrived (test).");
    }
}
