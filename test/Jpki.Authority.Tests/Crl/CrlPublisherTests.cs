using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Crl;

public sealed class CrlPublisherTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly IssuingCa _sign = TestKeys.Ca(CertificateKind.Signature);
    private readonly IssuingCa _auth = TestKeys.Ca(CertificateKind.Authentication);
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _sign.Dispose();
        _auth.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Revocation_AfterDebounce_RepublishesWithEntryAndNextNumber()
    {
        var authority = new CertificateAuthority(_sign, _auth, _registry, _audit, _clock, new AuthorityOptions());
        using var publisher = new CrlPublisher(authority, _audit, _dir.Path);
        var first = await publisher.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None);
        Assert.Equal(0, first.Document.EntryCount);

        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        var published = new TaskCompletionSource<CertificateKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        publisher.Published += (_, kind) => published.TrySetResult(kind);
        await authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, null, "staff", CancellationToken.None);
        Assert.Equal(0, (await publisher.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None)).Document.EntryCount);

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(CertificateKind.Signature, await published.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var second = await publisher.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None);
        Assert.Equal(1, second.Document.EntryCount);
        Assert.Equal(2, second.Document.Number);
        CertificateRevocationListBuilder.Load(File.ReadAllBytes(second.Path), out var number);
        Assert.Equal(2, (int)number);
        Assert.Equal(2, _audit.Entries.Count(e => e.Action == "crl.publish"));
    }

    [Fact]
    public async Task GetCurrentAsync_HalfValidityPassed_Rebuilds()
    {
        var authority = new CertificateAuthority(_sign, _auth, _registry, _audit, _clock, new AuthorityOptions());
        using var publisher = new CrlPublisher(authority, _audit, _dir.Path);
        var first = await publisher.GetCurrentAsync(CertificateKind.Authentication, CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(11));
        Assert.Equal(first.Document.Number, (await publisher.GetCurrentAsync(CertificateKind.Authentication, CancellationToken.None)).Document.Number);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(first.Document.Number + 1, (await publisher.GetCurrentAsync(CertificateKind.Authentication, CancellationToken.None)).Document.Number);
    }
}
