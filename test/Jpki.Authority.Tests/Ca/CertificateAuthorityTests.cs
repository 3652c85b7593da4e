using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Ca;

public sealed class CertificateAuthorityTests : IDisposable
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

    internal static IssueRequest SignRequest(string holder = "H1", string? previous = null) =>
        new(CertificateKind.Signature, TestKeys.SubjectSpki(), "CARD1", holder, new DateOnly(2031, 2, 17), Fixtures.Taro, previous, "staff:tanaka");

    internal static IssueRequest AuthRequest(string holder = "H1") =>
        new(CertificateKind.Authentication, TestKeys.SubjectSpki(), "CARD1", holder, new DateOnly(2031, 2, 17), null, null, "staff:tanaka");

    private CertificateAuthority Authority(IIdentifierSource? ids = null) => new(_sign, _auth, _registry, _audit, _clock, new AuthorityOptions(), ids);

    [Fact]
    public async Task IssueAsync_Sign_RegistersAndAudits()
    {
        var record = await Authority().IssueAsync(SignRequest(), CancellationToken.None);
        var stored = await _registry.FindBySerialAsync(record.SerialHex, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(new DateTimeOffset(2031, 2, 17, 14, 59, 59, TimeSpan.Zero), stored.NotAfter);
        Assert.Equal(_clock.GetUtcNow(), stored.NotBefore);
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal(("cert.issue", record.SerialHex, "staff:tanaka"), (entry.Action, entry.Subject, entry.Actor));
        Assert.DoesNotContain("太郎", entry.Details, StringComparison.Ordinal);
        Assert.Equal(Fixtures.Taro, JpkiCertificateParser.Parse(record.Der.Span).Signature);
    }

    [Fact]
    public async Task IssueAsync_RandomSerials_PositiveSixteenOctetsNoLeadingZero()
    {
        var authority = Authority();
        for (var i = 0; i < 20; i++)
        {
            var record = await authority.IssueAsync(AuthRequest(), CancellationToken.None);
            var bytes = Convert.FromHexString(record.SerialHex);
            Assert.Equal(16, bytes.Length);
            Assert.InRange(bytes[0], 1, 0x7F);
        }

        Assert.Equal(20, _registry.Count);
    }

    [Fact]
    public async Task IssueAsync_DuplicateSerial_RetriesWithNewSerial()
    {
        var first = await Authority(new RepeatingIdentifierSource()).IssueAsync(AuthRequest(), CancellationToken.None);
        var second = await Authority(new RepeatingIdentifierSource()).IssueAsync(AuthRequest(), CancellationToken.None);
        Assert.NotEqual(first.SerialHex, second.SerialHex);
        Assert.Equal(2, _registry.Count);
    }

    [Fact]
    public async Task IssueAsync_SignWithoutSubject_Throws()
    {
        var refused = await Assert.ThrowsAsync<IssueRequestException>(() => Authority().IssueAsync(SignRequest() with { Signature = null }, CancellationToken.None));
        Assert.Equal(("missing", "signature"), (refused.Code, refused.Field));
    }

    [Fact]
    public async Task IssueAsync_NotAnSpki_Throws()
    {
        var refused = await Assert.ThrowsAsync<IssueRequestException>(() => Authority().IssueAsync(AuthRequest() with { SubjectPublicKeyInfo = new byte[] { 1, 2, 3 } }, CancellationToken.None));
        Assert.Equal(("bad-public-key", "subjectPublicKeyInfo"), (refused.Code, refused.Field));
        Assert.DoesNotContain("(Parameter", refused.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> UnusableKeys => new() { "rsa-1024", "rsa-3072", "ec-p256", "rsa-2048-trailing" };

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public async Task IssueAsync_NotAnRsa2048Key_Throws(string kind)
    {
        byte[] spki;
        switch (kind)
        {
            case "ec-p256":
                using (var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
                {
                    spki = ec.ExportSubjectPublicKeyInfo();
                }

                break;
            default:
                using (var rsa = System.Security.Cryptography.RSA.Create(kind == "rsa-1024" ? 1024 : kind == "rsa-3072" ? 3072 : 2048))
                {
                    spki = rsa.ExportSubjectPublicKeyInfo();
                }

                if (kind == "rsa-2048-trailing")
                {
                    spki = [.. spki, 0];
                }

                break;
        }

        Assert.Equal("bad-public-key", (await Assert.ThrowsAsync<IssueRequestException>(() => Authority().IssueAsync(AuthRequest() with { SubjectPublicKeyInfo = spki }, CancellationToken.None))).Code);
    }

    [Fact]
    public async Task RevokeAsync_Issued_RevokesOnceAndRaisesEvent()
    {
        var authority = Authority();
        var record = await authority.IssueAsync(SignRequest(), CancellationToken.None);
        var raised = new List<string>();
        authority.Revoked += (_, e) => raised.Add(e.SerialHex);
        Assert.Equal(RevokeResult.Revoked, await authority.RevokeAsync(record.SerialHex.ToLowerInvariant(), RevocationReason.AffiliationChanged, null, "staff:sato", CancellationToken.None));
        Assert.Equal(RevokeResult.AlreadyRevoked, await authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, null, "staff:sato", CancellationToken.None));
        Assert.Equal([record.SerialHex], raised);
        Assert.Equal(RevocationReason.AffiliationChanged, (await _registry.FindBySerialAsync(record.SerialHex, CancellationToken.None))!.Revocation!.Reason);
        Assert.Equal(["cert.issue", "cert.revoke"], _audit.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task RevokeAsync_Unknown_NotFound()
    {
        Assert.Equal(RevokeResult.NotFound, await Authority().RevokeAsync("0ABC", RevocationReason.Unspecified, null, "x", CancellationToken.None));
    }

    [Fact]
    public async Task LinkageAsync_RenewalAndOtherKind_AreLinked()
    {
        var authority = Authority();
        var sign1 = await authority.IssueAsync(SignRequest(), CancellationToken.None);
        var auth1 = await authority.IssueAsync(AuthRequest(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));
        var sign2 = await authority.IssueAsync(SignRequest(previous: sign1.SerialHex), CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));
        var sign3 = await authority.IssueAsync(SignRequest(previous: sign2.SerialHex), CancellationToken.None);
        await authority.IssueAsync(AuthRequest(holder: "H2"), CancellationToken.None);

        var middle = await authority.LinkageAsync(sign2.SerialHex, CancellationToken.None);
        Assert.NotNull(middle);
        Assert.Equal([sign1.SerialHex], middle.Predecessors);
        Assert.Equal([sign3.SerialHex], middle.Successors);
        Assert.Equal([auth1.SerialHex], middle.OtherKind);
        var first = await authority.LinkageAsync(sign1.SerialHex, CancellationToken.None);
        Assert.Equal([sign2.SerialHex, sign3.SerialHex], first!.Successors);
    }

    private sealed class RepeatingIdentifierSource : IIdentifierSource
    {
        private int _calls;

        public byte[] NextSerial() => Interlocked.Increment(ref _calls) == 1 ? Convert.FromHexString("11111111111111111111111111111111") : RandomIdentifierSource.Instance.NextSerial();

        public string NextSubjectId() => "SAMECN";
    }
}
