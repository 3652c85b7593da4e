using System.Globalization;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Crl;

/// <summary>
/// The coverage check refuses to publish CRLs that miss a revoked, unexpired certificate or list one twice — the gap a
/// partitioning bug opens (a certificate in a partition that is not published, a partition scan that loses entries).
/// </summary>
[Trait("Category", "Security")]
public sealed class CrlCoverageTests : IDisposable
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
    public async Task PublishAsync_RevokedCertificateInAnUnpublishedPartition_Refused()
    {
        var authority = Authority(_registry, new AuthorityOptions { CrlPartitionMonths = 12 });
        using var publisher = Publisher(authority, _registry);
        var first = await publisher.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None);

        // A certificate whose stored partition no published CRL covers (as a partition function with an off-by-one
        // window would produce): revoked, unexpired.
        await _registry.AddAsync(TestRecords.Create("7E57", notAfter: _clock.GetUtcNow().AddYears(1)) with { CrlPartition = 190001 }, CancellationToken.None);
        await _registry.RevokeAsync("7E57", RevocationReason.KeyCompromise, _clock.GetUtcNow(), _clock.GetUtcNow(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<CrlCoverageException>(() => publisher.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None));

        Assert.Contains("7E57", refused.Message, StringComparison.Ordinal);
        Assert.Contains("190001", refused.Message, StringComparison.Ordinal);
        Assert.Equal(first.Document.Number, (await publisher.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None)).Document.Number);
        Assert.Same(refused, publisher.LastFailure);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PublishAsync_PartitionScanOutOfPartitionOrder_Refused(bool fullCrl)
    {
        // Three revoked certificates in two partitions, interleaved in serial order. The generation reads every partition
        // from one scan in partition order; a store that ignores the order (here: serial order) makes the build end the
        // first partition at 7E51 and pass over 7E52 later. The check sees every row and refuses.
        var options = new AuthorityOptions { CrlPartitionMonths = 12, PublishFullCrl = fullCrl };
        var partitions = CrlGenerationBuilder.PartitionsAt(_sign, options, _clock.GetUtcNow());
        foreach (var (serial, partition) in new[] { ("7E51", partitions[1]), ("7E52", partitions[0]), ("7E53", partitions[1]) })
        {
            await _registry.AddAsync(TestRecords.Create(serial, notAfter: _clock.GetUtcNow().AddYears(1)) with { CrlPartition = partition }, CancellationToken.None);
            await _registry.RevokeAsync(serial, RevocationReason.KeyCompromise, _clock.GetUtcNow(), _clock.GetUtcNow(), CancellationToken.None);
        }

        var faulty = new SerialOrderRegistry(_registry);
        using var publisher = Publisher(Authority(faulty, options), faulty);

        var refused = await Assert.ThrowsAsync<CrlCoverageException>(() => publisher.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None));

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"partition {partitions[0]} lists 0 entries where the registry has 1"), refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CrlNotPublishedException>(() => publisher.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None));

        // The same rows from the registry itself (in partition order) publish, each in its own partition.
        using var correct = Publisher(Authority(_registry, options), _registry);
        await correct.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None);
        Assert.Equal(1, (await correct.FindAsync(CertificateKind.Signature, partitions[0], false, CancellationToken.None))!.Document.EntryCount);
        Assert.Equal(2, (await correct.FindAsync(CertificateKind.Signature, partitions[1], false, CancellationToken.None))!.Document.EntryCount);
    }

    [Fact]
    public async Task PublishAsync_FullCrlOffWithCertificatesWithoutPartition_Refused()
    {
        // A certificate issued before partitions (partition 0) is only in the full CRL: turning it off leaves it uncovered.
        var legacy = Authority(_registry, new AuthorityOptions { CrlPartitionMonths = 0 });
        var record = await legacy.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        await legacy.RevokeAsync(record.SerialHex, RevocationReason.Superseded, null, "staff", CancellationToken.None);
        using var publisher = Publisher(Authority(_registry, new AuthorityOptions { CrlPartitionMonths = 12, PublishFullCrl = false }), _registry);

        var refused = await Assert.ThrowsAsync<CrlCoverageException>(() => publisher.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None));

        Assert.Contains("no full CRL is published", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_RevokedOcspSignerWithoutFullCrl_ListedInItsPartition()
    {
        // The delegated OCSP signer is in the registry like every certificate the CA keys signed; revoked (its key
        // compromised) with no full CRL published, it must be in a partition CRL, or the check refuses every publication
        // until it expires (a scale run revoked one and the CA stopped publishing).
        var authority = Authority(_registry, new AuthorityOptions { CrlPartitionMonths = 12, PublishFullCrl = false });
        using var responder = new Jpki.Authority.Ocsp.OcspResponder(authority);
        _ = responder.SignerCertificate(CertificateKind.Authentication);
        await responder.RecordingAsync;
        var signer = Assert.Single(await _registry.FindByHolderAsync("ocsp-signer", CancellationToken.None));
        Assert.Equal(CrlPartitions.Of(signer.NotAfter, 12), signer.CrlPartition);
        await authority.RevokeAsync(signer.SerialHex, RevocationReason.KeyCompromise, null, "staff", CancellationToken.None);
        using var publisher = Publisher(authority, _registry);

        await publisher.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);

        var partition = await publisher.FindAsync(CertificateKind.Authentication, signer.CrlPartition, false, CancellationToken.None);
        Assert.Equal(1, partition!.Document.EntryCount);
    }

    [Fact]
    public async Task PublishAsync_FullCrlOffAllPartitioned_Published()
    {
        var authority = Authority(_registry, new AuthorityOptions { CrlPartitionMonths = 12, PublishFullCrl = false });
        var record = await authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        await authority.RevokeAsync(record.SerialHex, RevocationReason.Superseded, null, "staff", CancellationToken.None);
        using var publisher = Publisher(authority, _registry);

        var published = await publisher.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);

        Assert.NotEqual(0, published.Partition);
        Assert.Null(await publisher.FindAsync(CertificateKind.Authentication, 0, false, CancellationToken.None));
        Assert.Equal(1, (await publisher.FindAsync(CertificateKind.Authentication, 203101, false, CancellationToken.None))!.Document.EntryCount);
    }

    private CertificateAuthority Authority(ICertificateRegistry registry, AuthorityOptions options) => new(_sign, _auth, registry, _audit, _clock, options);

    private CrlPublisher Publisher(CertificateAuthority authority, ICertificateRegistry registry) => new(authority, _audit, new LocalPublicationStore(registry), _dir.Path);

    /// <summary>A registry that streams in serial order even when asked for partition order (a store or planner ignoring the ORDER BY).</summary>
    private sealed class SerialOrderRegistry(InMemoryRegistry inner) : ICertificateRegistry
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AddAsync(CertificateRecord record, CancellationToken cancellationToken) => inner.AddAsync(record, cancellationToken);

        public Task<CertificateRecord?> FindBySerialAsync(string serialHex, CancellationToken cancellationToken) => inner.FindBySerialAsync(serialHex, cancellationToken);

        public Task<IReadOnlyList<CertificateRecord>> FindByCardAsync(string cardId, CancellationToken cancellationToken) => inner.FindByCardAsync(cardId, cancellationToken);

        public Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken) => inner.FindByHolderAsync(holderId, cancellationToken);

        public Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, CancellationToken cancellationToken)
            => inner.RevokeAsync(serialHex, reason, revokedAt, recordedAt, cancellationToken);

        public IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(CertificateKind kind, DateTimeOffset at, CancellationToken cancellationToken) => inner.StreamRevokedAsync(kind, at, cancellationToken);

        public IAsyncEnumerable<RevokedEntry> StreamRevokedAsync(RevokedQuery query, CancellationToken cancellationToken)
            => inner.StreamRevokedAsync(query with { OrderByPartition = false }, cancellationToken);

        public Task<long> GetRevocationCursorAsync(CancellationToken cancellationToken) => inner.GetRevocationCursorAsync(cancellationToken);

        public Task<IReadOnlyList<RevocationChange>> ReadRevocationsAfterAsync(long cursor, int limit, CancellationToken cancellationToken) => inner.ReadRevocationsAfterAsync(cursor, limit, cancellationToken);

        public Task<long> NextCrlNumberAsync(CertificateKind kind, CancellationToken cancellationToken) => inner.NextCrlNumberAsync(kind, cancellationToken);
    }
}
