using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Security;

/// <summary>
/// Issue 12 item 2: a revocation dated in the future (<c>revoke --at 2099-…</c>) made the verifier treat a
/// key-compromised certificate as good until 2099. The class is every place that takes a revocation time: they all go
/// through <see cref="CertificateAuthority.RevokeAsync"/>, which refuses a time after now (beyond a clock-skew allowance
/// that becomes now) and a time before the certificate existed.
/// </summary>
[Trait("Category", "Security")]
public sealed class FutureRevocationTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly IssuingCa _sign = TestKeys.Ca(CertificateKind.Signature);
    private readonly IssuingCa _auth = TestKeys.Ca(CertificateKind.Authentication);

    public void Dispose()
    {
        _sign.Dispose();
        _auth.Dispose();
    }

    [Theory]
    [InlineData("2099-01-01T00:00:00Z")]
    [InlineData("2026-11-25T03:05:01Z")] // one second beyond the 5-minute skew allowance
    public async Task RevokeAsync_InTheFuture_RefusedAndNothingRevoked(string at)
    {
        var authority = Authority();
        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), "x", CancellationToken.None));

        Assert.Contains("future", refused.Message, StringComparison.Ordinal);
        Assert.Null((await _registry.FindBySerialAsync(record.SerialHex, CancellationToken.None))!.Revocation);
        Assert.DoesNotContain(_audit.Entries, e => e.Action == "cert.revoke");
    }

    [Fact]
    public async Task RevokeAsync_WithinTheClockSkewAllowance_RevokedAsOfNow()
    {
        var authority = Authority();
        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);

        await authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, _clock.GetUtcNow().AddMinutes(4), "x", CancellationToken.None);

        Assert.Equal(_clock.GetUtcNow(), (await _registry.FindBySerialAsync(record.SerialHex, CancellationToken.None))!.Revocation!.RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_BeforeTheCertificateExisted_Refused()
    {
        var authority = Authority();
        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, record.NotBefore.AddSeconds(-1), "x", CancellationToken.None));
    }

    [Fact]
    public async Task RevokeAsync_InThePast_Kept()
    {
        var authority = Authority();
        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(3));

        await authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, record.NotBefore.AddDays(1), "x", CancellationToken.None);

        Assert.Equal(record.NotBefore.AddDays(1), (await _registry.FindBySerialAsync(record.SerialHex, CancellationToken.None))!.Revocation!.RevokedAt);
    }

    private CertificateAuthority Authority() => new(_sign, _auth, _registry, _audit, _clock, new AuthorityOptions());
}
