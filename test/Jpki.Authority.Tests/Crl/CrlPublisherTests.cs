using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Crl;

/// <summary>The publisher on an in-memory registry: generations, partitions and deltas, revocations, schedules.</summary>
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

    private static AuthorityOptions Options(int months = 12) => new() { CrlPartitionMonths = months, CrlRebuildDelay = TimeSpan.Zero, CrlBaseMinimumInterval = TimeSpan.FromHours(1) };

    private (CertificateAuthority Authority, CrlPublisher Publisher) Create(AuthorityOptions? options = null)
    {
        var authority = new CertificateAuthority(_sign, _auth, _registry, _audit, _clock, options ?? Options());
        return (authority, new CrlPublisher(authority, _audit, new LocalPublicationStore(_registry), _dir.Path));
    }

    [Fact]
    public async Task PublishAsync_BaseGeneration_FullAndPartitionsShareOneNumber()
    {
        var (authority, publisher) = Create(Options(months: 3));
        using var _ = publisher;
        var record = await authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        await authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, null, "staff", CancellationToken.None);

        var full = await publisher.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);

        Assert.Equal(1, full.Document.EntryCount);
        var read = CrlFile.Read(full.Path, _auth.CertificateDer);
        Assert.Equal(full.Document.Number, read.Number);
        Assert.Null(read.Partition);
        Assert.Equal("http://127.0.0.1:8080/crl/auth-delta.crl", read.Freshest);
        Assert.Equal([record.SerialHex], read.Serials);

        // The certificate's partition (expiry 2031-02-17 → 203101) is published with its distribution point as the IDP.
        Assert.Equal(203101, record.CrlPartition);
        var partition = await publisher.FindAsync(CertificateKind.Authentication, 203101, delta: false, CancellationToken.None);
        Assert.NotNull(partition);
        var partitionCrl = CrlFile.Read(partition.Path, _auth.CertificateDer);
        Assert.Equal((full.Document.Number, "http://127.0.0.1:8080/crl/auth/203101.crl", "http://127.0.0.1:8080/crl/auth/203101-delta.crl"), (partitionCrl.Number, partitionCrl.Partition, partitionCrl.Freshest));
        Assert.Equal([record.SerialHex], partitionCrl.Serials);
        Assert.Contains("URI:http://127.0.0.1:8080/crl/auth/203101.crl", Jpki.Testing.OpenSsl.Run("x509", "-noout", "-ext", "crlDistributionPoints", "-inform", "DER", "-in", Der(record)).Stdout, StringComparison.Ordinal);

        // Every quarter from the one before now to the CA's own expiry (2036), none empty of a CRL.
        var other = await publisher.FindAsync(CertificateKind.Authentication, 203104, delta: false, CancellationToken.None);
        Assert.Empty(CrlFile.Read(other!.Path, _auth.CertificateDer).Serials);
        Assert.NotNull(await publisher.FindAsync(CertificateKind.Authentication, 202610, delta: false, CancellationToken.None));
        Assert.NotNull(await publisher.FindAsync(CertificateKind.Authentication, 203601, delta: false, CancellationToken.None));
        Assert.Null(await publisher.FindAsync(CertificateKind.Authentication, 202607, delta: false, CancellationToken.None));
        Assert.Null(await publisher.FindAsync(CertificateKind.Authentication, 203604, delta: false, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_RevocationByAnotherAuthority_DeltaListsItThenBaseAfterTheInterval()
    {
        var (authority, publisher) = Create();
        using var _ = publisher;
        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        var later = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var running = publisher.RunAsync(stop.Token);
        await publisher.WhenPublishedAsync(CertificateKind.Signature, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        var first = (await publisher.FindAsync(CertificateKind.Signature, 0, delta: false, CancellationToken.None))!;
        var firstDelta = await WaitForAsync(publisher, CertificateKind.Signature, p => p.Delta is not null);
        var authBase = (await WaitForAsync(publisher, CertificateKind.Authentication, p => p.Delta is not null)).Full.Document.Number;

        // Another process on the same registry (here: another CertificateAuthority, which raises no event here) revokes.
        var other = new CertificateAuthority(_sign, _auth, _registry, _audit, _clock, Options());
        await other.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, null, "cli", CancellationToken.None);

        var withRevocation = await WaitForAsync(publisher, CertificateKind.Signature, p => p.Delta is { } d && CrlFile.Read(d.Path, _sign.CertificateDer).Serials.Contains(record.SerialHex));
        var delta = CrlFile.Read(withRevocation.Delta!.Path, _sign.CertificateDer);
        Assert.Equal(first.Document.Number, delta.DeltaBase);
        Assert.True(delta.Number > firstDelta.Delta!.Document.Number);
        Assert.Empty(CrlFile.Read(withRevocation.Full.Path, _sign.CertificateDer).Serials);

        // The complete CRLs catch up once the base interval has passed, with a higher number again.
        _clock.Advance(TimeSpan.FromHours(1));
        var rebuilt = await WaitForAsync(publisher, CertificateKind.Signature, p => p.Full.Document.Number > first.Document.Number);
        Assert.Equal([record.SerialHex], CrlFile.Read(rebuilt.Full.Path, _sign.CertificateDer).Serials);
        Assert.True(rebuilt.Full.Document.Number > delta.Number);

        // The revocation sequence is shared by both CAs: the authentication CA, whose deltas list nothing, keeps its base
        // (a restarted publisher rebuilt both CAs' complete CRLs for one revocation of one of them).
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(authBase, (await publisher.FindAsync(CertificateKind.Authentication, 0, false, CancellationToken.None))!.Document.Number);

        // Also when the authentication CA's base interval has passed: another signature revocation moves the shared
        // sequence past what its CRLs cover, which makes it build a delta, never its complete CRLs.
        await other.RevokeAsync(later.SerialHex, RevocationReason.KeyCompromise, null, "cli", CancellationToken.None);
        await WaitForAsync(publisher, CertificateKind.Signature, p => p.Delta is { } d && CrlFile.Read(d.Path, _sign.CertificateDer).Serials.Contains(later.SerialHex));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(authBase, (await publisher.FindAsync(CertificateKind.Authentication, 0, false, CancellationToken.None))!.Document.Number);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_HalfValidityPassed_NewBase()
    {
        var (_, publisher) = Create();
        using var __ = publisher;
        using var stop = new CancellationTokenSource();
        var running = publisher.RunAsync(stop.Token);
        var first = await WaitForAsync(publisher, CertificateKind.Authentication, p => p.Delta is not null);

        _clock.Advance(TimeSpan.FromHours(11));
        Assert.Equal(first.Full.Document.Number, (await publisher.FindAsync(CertificateKind.Authentication, 0, false, CancellationToken.None))!.Document.Number);
        _clock.Advance(TimeSpan.FromHours(1));
        var second = await WaitForAsync(publisher, CertificateKind.Authentication, p => p.Full.Document.Number > first.Full.Document.Number);

        Assert.Equal(_clock.GetUtcNow(), second.Full.Document.ThisUpdate);
        Assert.Contains(_audit.Entries, e => e.Action == "crl.publish" && e.Subject == "auth#" + second.Full.Document.Number);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_RestartedPublisher_KeepsTheRecordedSpacingOfBaseBuilds()
    {
        // No minimum interval: only "ten build times of the published base" spaces the complete CRLs. The build time is
        // recorded with the publication, so a new process (a restart, a failover) keeps it instead of rebuilding at once.
        var options = Options() with { CrlBaseMinimumInterval = TimeSpan.Zero };
        var authority = new CertificateAuthority(_sign, _auth, _registry, _audit, _clock, options);
        var store = new LocalPublicationStore(_registry);
        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        long baseNumber;
        using (var first = new CrlPublisher(authority, _audit, store, _dir.Path))
        using (var stopFirst = new CancellationTokenSource())
        {
            var running = first.RunAsync(stopFirst.Token);
            baseNumber = (await WaitForAsync(first, CertificateKind.Signature, p => p.Delta is not null)).Full.Document.Number;
            await stopFirst.CancelAsync();
            await running;
        }

        var buildTime = (await store.GetCrlPublicationAsync(CertificateKind.Signature, CancellationToken.None))!.BaseBuildTime;
        Assert.True(buildTime > TimeSpan.Zero, $"build time recorded: {buildTime}");
        await authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, null, "cli", CancellationToken.None);

        using var restarted = new CrlPublisher(authority, _audit, store, _dir.Path);
        using var stop = new CancellationTokenSource();
        var again = restarted.RunAsync(stop.Token);
        await WaitForAsync(restarted, CertificateKind.Signature, p => p.Delta is { } d && d.Document.EntryCount == 1);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(baseNumber, (await restarted.FindAsync(CertificateKind.Signature, 0, false, CancellationToken.None))!.Document.Number);

        _clock.Advance((buildTime!.Value * 10) + TimeSpan.FromSeconds(1));
        var rebuilt = await WaitForAsync(restarted, CertificateKind.Signature, p => p.Full.Document.Number > baseNumber);
        Assert.Equal(1, rebuilt.Full.Document.EntryCount);
        await stop.CancelAsync();
        await again;
    }

    [Fact]
    public async Task GetCurrentAsync_NothingPublished_Throws()
    {
        var (_, publisher) = Create();
        using var _ = publisher;

        await Assert.ThrowsAsync<CrlNotPublishedException>(() => publisher.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None));
    }

    private static string Der(CertificateRecord record)
    {
        var path = Path.Combine(Path.GetTempPath(), "jpki-cert-" + Guid.NewGuid().ToString("N") + ".der");
        File.WriteAllBytes(path, record.Der.ToArray());
        return path;
    }

    /// <summary>Waits (event-driven, bounded) until the publisher serves a publication of <paramref name="kind"/> that satisfies <paramref name="condition"/>.</summary>
    internal static async Task<(PublishedCrl Full, PublishedCrl? Delta)> WaitForAsync(CrlPublisher publisher, CertificateKind kind, Func<(PublishedCrl Full, PublishedCrl? Delta), bool> condition)
    {
        var deadline = TimeSpan.FromMinutes(2);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnPublished(object? sender, CertificateKind k) => changed.TrySetResult();
            publisher.Published += OnPublished;
            try
            {
                if (await publisher.FindAsync(kind, 0, false, CancellationToken.None) is { } full)
                {
                    var current = (full, await publisher.FindAsync(kind, 0, true, CancellationToken.None));
                    if (condition(current))
                    {
                        return current;
                    }
                }

                await changed.Task.WaitAsync(deadline - System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
            finally
            {
                publisher.Published -= OnPublished;
            }
        }
    }
}
