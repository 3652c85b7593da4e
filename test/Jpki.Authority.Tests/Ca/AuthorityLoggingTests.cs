using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Ca;

/// <summary>The CA logs what it does (events 4120–4125) by serial, kind, code and actor — never the holder's data.</summary>
public sealed class AuthorityLoggingTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly IssuingCa _sign = TestKeys.Ca(CertificateKind.Signature);
    private readonly IssuingCa _auth = TestKeys.Ca(CertificateKind.Authentication);
    private readonly CollectingLoggerProvider _logs = new();

    public void Dispose()
    {
        _sign.Dispose();
        _auth.Dispose();
    }

    [Fact]
    public async Task IssueRenewRevoke_LogIssuedAndRevokedBySerial_NeverTheHoldersData()
    {
        var authority = Authority();
        var first = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        var renewed = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(previous: first.SerialHex), CancellationToken.None);
        Assert.Equal(RevokeResult.Revoked, await authority.RevokeAsync(renewed.SerialHex, RevocationReason.AffiliationChanged, null, "staff:sato", CancellationToken.None));
        Assert.Equal(RevokeResult.AlreadyRevoked, await authority.RevokeAsync(renewed.SerialHex, RevocationReason.AffiliationChanged, null, "staff:sato", CancellationToken.None));

        var issued = _logs.Of(4120);
        Assert.Equal([first.SerialHex, renewed.SerialHex], issued.Select(e => e.Values["Serial"]));
        Assert.Equal(first.SerialHex, issued[1].Values["Previous"]);
        Assert.All(issued, e => Assert.Equal(("sign", "staff:tanaka", LogLevel.Information), (e.Values["Kind"], e.Values["Actor"], e.Level)));
        var revoked = Assert.Single(_logs.Of(4124));
        Assert.Equal((renewed.SerialHex, "affiliation-changed"), (revoked.Values["Serial"], revoked.Values["Reason"]));
        Assert.Equal("already-revoked", Assert.Single(_logs.Of(4125)).Values["Result"]);
        var taro = Fixtures.Taro;
        Assert.DoesNotContain(_logs.Events, e => e.AllText.Contains(taro.Name, StringComparison.Ordinal) || e.AllText.Contains(taro.Address, StringComparison.Ordinal) || e.AllText.Contains("H1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Issue_Refused_LogsTheCodeAndField()
    {
        var refused = await Assert.ThrowsAsync<IssueRequestException>(() => Authority().IssueAsync(CertificateAuthorityTests.AuthRequest() with { SubjectPublicKeyInfo = new byte[] { 1, 2, 3 } }, CancellationToken.None));

        var logged = Assert.Single(_logs.Of(4121));
        Assert.Equal((LogLevel.Warning, refused.Code, "subjectPublicKeyInfo", "auth"), (logged.Level, logged.Values["Code"], logged.Values["Field"], logged.Values["Kind"]));
        Assert.Empty(_logs.Of(4120));
    }

    [Fact]
    public async Task Revoke_UnknownSerial_LogsNotFound()
    {
        Assert.Equal(RevokeResult.NotFound, await Authority().RevokeAsync("0A0B", RevocationReason.Unspecified, null, "staff:sato", CancellationToken.None));
        Assert.Equal("not-found", Assert.Single(_logs.Of(4125)).Values["Result"]);
    }

    private CertificateAuthority Authority() => new(_sign, _auth, _registry, _audit, _clock, new AuthorityOptions()) { Logger = _logs.CreateLogger("Jpki.Authority") };
}
