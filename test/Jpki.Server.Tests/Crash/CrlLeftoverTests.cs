using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.X509;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// What a process killed while publishing a CRL leaves in <c>authority/crl/</c>: the next start neither fails on it nor
/// serves it, and temporaries abandoned long enough are removed (a recent one may be a running process's build).
/// </summary>
public sealed class CrlLeftoverTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Start_AbandonedTemporaryAndTruncatedCrl_OldTemporaryRemovedRecentKeptFreshCrlServed()
    {
        var crl = _dir.File("crl");
        Directory.CreateDirectory(crl);
        var abandoned = Path.Combine(crl, $"sign.crl.{Guid.NewGuid():N}.tmp");
        var recent = Path.Combine(crl, $"auth.crl.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(abandoned, [0x30, 0x82, 0x10]);
        await File.WriteAllBytesAsync(recent, [0x30, 0x82, 0x10]);
        File.SetLastWriteTimeUtc(abandoned, _clock.GetUtcNow().UtcDateTime.AddHours(-1));
        await File.WriteAllBytesAsync(Path.Combine(crl, "sign.crl"), [0x30, 0x82]);

        var registry = new InMemoryRegistry();
        var audit = new InMemoryAuditLog();
        var authority = new CertificateAuthority(TestKeys.Ca(CertificateKind.Signature), TestKeys.Ca(CertificateKind.Authentication), registry, audit, _clock, new AuthorityOptions());
        await using var runtime = new AuthorityRuntime(authority, audit, crl, [authority.SignCa, authority.AuthCa]);

        Assert.False(File.Exists(abandoned), "a temporary untouched for an hour is a killed build's");
        Assert.True(File.Exists(recent), "a recent temporary may be another process's build in progress");
        await runtime.Crls.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None);
        var published = await runtime.Crls.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None);
        Assert.NotEqual(Path.Combine(crl, "sign.crl"), published.Path);
        var parsed = new X509CrlParser().ReadCrl(await File.ReadAllBytesAsync(published.Path));
        parsed.Verify(new X509CertificateParser().ReadCertificate(authority.SignCa.CertificateDer).GetPublicKey());
    }
}
