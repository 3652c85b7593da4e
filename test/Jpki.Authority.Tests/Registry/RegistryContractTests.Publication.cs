using System.Security.Cryptography;
using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Registry;

/// <summary>
/// The revocation sequence (the change feed), the partitioned streams and the shared publication state: CRL documents
/// published only when newer, stored OCSP answers that never outlive a revocation, the publisher lease, the wake-up.
/// </summary>
public abstract partial class RegistryContractTests
{
    [Fact]
    public async Task RevokeAsync_AssignsTheNextSequencePositionInOrder()
    {
        foreach (var serial in new[] { "A1", "A2", "A3" })
        {
            await Store.AddAsync(TestRecords.Create(serial) with { CrlPartition = 203101 }, Ct);
        }

        Assert.Equal(0, await Store.GetRevocationCursorAsync(Ct));
        await Store.RevokeAsync("A2", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);
        await Store.RevokeAsync("A1", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);
        Assert.Equal(RevokeResult.AlreadyRevoked, await Store.RevokeAsync("A2", RevocationReason.Superseded, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct));

        Assert.Equal(2, await Store.GetRevocationCursorAsync(Ct));
        Assert.Equal([(1L, "A2", 203101), (2L, "A1", 203101)], (await Store.ReadRevocationsAfterAsync(0, 10, Ct)).Select(c => (c.Sequence, c.SerialHex, c.Partition)));
        Assert.Equal(["A1"], (await Store.ReadRevocationsAfterAsync(1, 10, Ct)).Select(c => c.SerialHex));
    }

    [Fact]
    public async Task RevokeWithAuditAsync_AlsoAdvancesTheSequence()
    {
        await Store.AddAsync(TestRecords.Create("A4"), Ct);

        await Store.RevokeWithAuditAsync("A4", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), new Audit.AuditEntry(Clock.GetUtcNow(), "staff", "cert.revoke", "A4", ""), Ct);

        Assert.Equal(1, await Store.GetRevocationCursorAsync(Ct));
    }

    [Fact]
    public async Task RevokeAsync_ConcurrentRevocations_GaplessDistinctPositions()
    {
        var serials = Enumerable.Range(0, 40).Select(i => "B" + i.ToString("X3", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var serial in serials)
        {
            await Store.AddAsync(TestRecords.Create(serial), Ct);
        }

        await Task.WhenAll(serials.Select(s => Task.Run(() => Store.RevokeAsync(s, RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct))));

        var changes = await Store.ReadRevocationsAfterAsync(0, 100, Ct);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), changes.Select(c => c.Sequence));
        Assert.Equal(serials.Order(StringComparer.Ordinal), changes.Select(c => c.SerialHex).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StreamRevokedAsync_PartitionAndSequenceRange()
    {
        await Store.AddAsync(TestRecords.Create("C1") with { CrlPartition = 203101 }, Ct);
        await Store.AddAsync(TestRecords.Create("C2") with { CrlPartition = 203104 }, Ct);
        await Store.AddAsync(TestRecords.Create("C3") with { CrlPartition = 203101 }, Ct);
        await Store.AddAsync(TestRecords.Create("C4"), Ct);
        foreach (var serial in new[] { "C3", "C1", "C2", "C4" })
        {
            await Store.RevokeAsync(serial, RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);
        }

        var at = Clock.GetUtcNow();
        async Task<List<string>> Read(RevokedQuery query)
        {
            var serials = new List<string>();
            await foreach (var entry in Store.StreamRevokedAsync(query, Ct))
            {
                serials.Add(entry.SerialHex);
            }

            return serials;
        }

        Assert.Equal(["C1", "C2", "C3", "C4"], await Read(new RevokedQuery(CertificateKind.Signature, at)));
        Assert.Equal(["C1", "C3"], await Read(new RevokedQuery(CertificateKind.Signature, at) { Partition = 203101 }));
        Assert.Equal(["C4"], await Read(new RevokedQuery(CertificateKind.Signature, at) { Partition = 0 }));
        Assert.Equal(["C1", "C2"], await Read(new RevokedQuery(CertificateKind.Signature, at) { SequenceAfter = 1, SequenceUpTo = 3 }));
        Assert.Equal(["C1"], await Read(new RevokedQuery(CertificateKind.Signature, at) { Partition = 203101, SequenceAfter = 1 }));
        var entries = new List<RevokedEntry>();
        await foreach (var entry in Store.StreamRevokedAsync(new RevokedQuery(CertificateKind.Signature, at) { Partition = 203104 }, Ct))
        {
            entries.Add(entry);
        }

        Assert.Equal((203104, 3L), (entries.Single().Partition, entries.Single().Sequence));
    }

    [Fact]
    public async Task Database_ChangingPartitionOrSequenceByHand_IsRefused()
    {
        await Store.AddAsync(TestRecords.Create("C5") with { CrlPartition = 203101 }, Ct);
        await Store.RevokeAsync("C5", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);

        var partition = await TryExecuteAsync("UPDATE certificates SET crl_partition = 203104 WHERE serial = 'C5'");
        var sequence = await TryExecuteAsync("UPDATE certificates SET revocation_seq = 99 WHERE serial = 'C5'");

        Assert.Contains("never change", partition?.Message, StringComparison.Ordinal);
        Assert.Contains("never change", sequence?.Message, StringComparison.Ordinal);
    }

    private static readonly TimeSpan BuildTime = TimeSpan.FromMilliseconds(42_195);

    [Fact]
    public async Task PublishCrlsAsync_OnlyNewerNumbersAndDeltasOfTheCurrentBase()
    {
        using var files = new TempFiles();
        var base5 = files.Document(CertificateKind.Authentication, 5, 0, delta: false, Clock.GetUtcNow());
        var part5 = files.Document(CertificateKind.Authentication, 5, 203101, delta: false, Clock.GetUtcNow());

        Assert.True(await Store.PublishCrlsAsync(CertificateKind.Authentication, false, 5, 0, null, [base5, part5], Clock.GetUtcNow(), BuildTime, Ct));
        Assert.False(await Store.PublishCrlsAsync(CertificateKind.Authentication, false, 4, 0, null, [files.Document(CertificateKind.Authentication, 4, 0, false, Clock.GetUtcNow())], Clock.GetUtcNow(), BuildTime, Ct));
        Assert.False(await Store.PublishCrlsAsync(CertificateKind.Authentication, true, 6, 1, 3, [files.Document(CertificateKind.Authentication, 6, 0, true, Clock.GetUtcNow(), 3)], Clock.GetUtcNow(), BuildTime, Ct));
        var delta6 = files.Document(CertificateKind.Authentication, 6, 0, delta: true, Clock.GetUtcNow(), 5);
        Assert.True(await Store.PublishCrlsAsync(CertificateKind.Authentication, true, 6, 1, 5, [delta6], Clock.GetUtcNow(), BuildTime, Ct));
        Assert.False(await Store.PublishCrlsAsync(CertificateKind.Authentication, false, 6, 1, null, [files.Document(CertificateKind.Authentication, 6, 0, false, Clock.GetUtcNow())], Clock.GetUtcNow(), BuildTime, Ct));

        var state = await Store.GetCrlPublicationAsync(CertificateKind.Authentication, Ct);
        Assert.NotNull(state);
        Assert.Equal((5L, 0L, 6L, 1L), (state.BaseNumber, state.BaseSequence, state.DeltaNumber!.Value, state.DeltaSequence!.Value));
        Assert.Equal(BuildTime, state.BaseBuildTime);
        Assert.Equal([(0, false), (203101, false), (0, true)], state.Documents.Select(d => (d.Partition, d.Delta)));
        Assert.Null(await Store.GetCrlPublicationAsync(CertificateKind.Signature, Ct));
        using var copy = new MemoryStream();
        await Store.CopyCrlDocumentAsync(state.Find(203101, delta: false)!, copy, Ct);
        Assert.Equal(await File.ReadAllBytesAsync(part5.Path), copy.ToArray());

        // A new base replaces the delta; the generation before it is kept, older ones are dropped.
        Assert.True(await Store.PublishCrlsAsync(CertificateKind.Authentication, false, 7, 2, null, [files.Document(CertificateKind.Authentication, 7, 0, false, Clock.GetUtcNow())], Clock.GetUtcNow(), BuildTime, Ct));
        Assert.True(await Store.PublishCrlsAsync(CertificateKind.Authentication, false, 8, 2, null, [files.Document(CertificateKind.Authentication, 8, 0, false, Clock.GetUtcNow())], Clock.GetUtcNow(), BuildTime, Ct));
        state = await Store.GetCrlPublicationAsync(CertificateKind.Authentication, Ct);
        Assert.Equal((8L, (long?)null), (state!.BaseNumber, state.DeltaNumber));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.CopyCrlDocumentAsync(base5.Info, Stream.Null, Ct));
    }

    [Fact]
    public async Task StoreOcspResponsesAsync_GoodAnswerForRevokedCertificate_NotStored()
    {
        await Store.AddAsync(TestRecords.Create("D1"), Ct);
        await Store.AddAsync(TestRecords.Create("D2"), Ct);
        await Store.RevokeAsync("D2", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);
        var now = Clock.GetUtcNow();

        var stored = await Store.StoreOcspResponsesAsync([Answer("D1", 0, now), Answer("D2", 0, now), Answer("D9", 0, now)], Ct);

        Assert.Equal(1, stored);
        Assert.Equal(StoredOcspResponse.Good, (await Store.FindOcspResponseAsync("D1", OcspCertIdHash.Sha1, Ct))!.Status);
        Assert.Null(await Store.FindOcspResponseAsync("D2", OcspCertIdHash.Sha1, Ct));
        Assert.Equal(1, await Store.StoreOcspResponsesAsync([Answer("D2", 1, now)], Ct));
        Assert.Equal(StoredOcspResponse.Revoked, (await Store.FindOcspResponseAsync("D2", OcspCertIdHash.Sha1, Ct))!.Status);
    }

    [Fact]
    public async Task RevokeAsync_DeletesTheStoredAnswers()
    {
        await Store.AddAsync(TestRecords.Create("D3"), Ct);
        var now = Clock.GetUtcNow();
        await Store.StoreOcspResponsesAsync([Answer("D3", 0, now), Answer("D3", 0, now) with { HashAlgorithm = OcspCertIdHash.Sha256 }], Ct);

        await Store.RevokeAsync("D3", RevocationReason.KeyCompromise, now, now, Ct);

        Assert.Null(await Store.FindOcspResponseAsync("D3", OcspCertIdHash.Sha1, Ct));
        Assert.Null(await Store.FindOcspResponseAsync("D3", OcspCertIdHash.Sha256, Ct));
    }

    [Fact]
    public async Task StoreOcspResponsesAsync_OlderAnswer_DoesNotReplaceNewer()
    {
        await Store.AddAsync(TestRecords.Create("D4"), Ct);
        var now = Clock.GetUtcNow();
        await Store.StoreOcspResponsesAsync([Answer("D4", 0, now)], Ct);

        await Store.StoreOcspResponsesAsync([Answer("D4", 0, now.AddMinutes(-10)) with { Der = new byte[] { 1 } }], Ct);

        Assert.Equal(now, (await Store.FindOcspResponseAsync("D4", OcspCertIdHash.Sha1, Ct))!.ThisUpdate);
    }

    [Fact]
    public async Task FindOcspWorkAsync_DueAndMissingUnexpiredUnrevoked()
    {
        var now = Clock.GetUtcNow();
        await Store.AddAsync(TestRecords.Create("E1", issuedAt: now.AddHours(-3)), Ct);
        await Store.AddAsync(TestRecords.Create("E2", issuedAt: now.AddHours(-2)), Ct);
        await Store.AddAsync(TestRecords.Create("E3", issuedAt: now.AddHours(-1)), Ct);
        await Store.AddAsync(TestRecords.Create("E4", issuedAt: now.AddHours(-1), notAfter: now.AddDays(-1)), Ct);
        await Store.AddAsync(TestRecords.Create("E5", issuedAt: now.AddMinutes(-30)), Ct);
        await Store.RevokeAsync("E5", RevocationReason.KeyCompromise, now, now, Ct);
        await Store.StoreOcspResponsesAsync([Answer("E1", 0, now.AddHours(-1)) with { RefreshAt = now.AddMinutes(-1) }, Answer("E2", 0, now)], Ct);

        var (work, cursor) = await Store.FindOcspWorkAsync(now, DateTimeOffset.UnixEpoch, 10, Ct);

        Assert.Equal(["E1", "E3"], work.Select(w => w.SerialHex));
        Assert.Equal(now.AddHours(-1), cursor);
    }

    [Fact]
    public async Task TryAcquirePublisherLeaseAsync_OneHolderAtATime()
    {
        var other = await OpenAsync();

        var first = await Store.TryAcquirePublisherLeaseAsync(Ct);
        Assert.NotNull(first);
        Assert.Null(await other.TryAcquirePublisherLeaseAsync(Ct));
        Assert.True(await first.ConfirmAsync(Ct));

        await first.DisposeAsync();
        var second = await other.TryAcquirePublisherLeaseAsync(Ct);
        Assert.NotNull(second);
        Assert.Null(await Store.TryAcquirePublisherLeaseAsync(Ct));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task WaitForChangeAsync_RevocationFromAnotherStore_Returns()
    {
        var other = await OpenAsync();
        await Store.AddAsync(TestRecords.Create("F1"), Ct);
        var cursor = await Store.GetRevocationCursorAsync(Ct);
        var waiting = Store.WaitForChangeAsync(cursor, TimeSpan.FromMinutes(5), Ct);

        await other.RevokeAsync("F1", RevocationReason.KeyCompromise, Clock.GetUtcNow(), Clock.GetUtcNow(), Ct);

        await waiting.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Store.GetRevocationCursorAsync(Ct));
    }

    private static StoredOcspResponse Answer(string serial, int status, DateTimeOffset thisUpdate) =>
        new(serial, OcspCertIdHash.Sha1, CertificateKind.Signature, status, thisUpdate, thisUpdate.AddHours(1), thisUpdate.AddMinutes(30), RandomNumberGenerator.GetBytes(100));

    private sealed class TempFiles : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "jpki-crldocs-" + Guid.NewGuid().ToString("N")[..12]);

        public TempFiles() => Directory.CreateDirectory(_folder);

        public CrlDocumentFile Document(CertificateKind kind, long number, int partition, bool delta, DateTimeOffset at, long? baseNumber = null)
        {
            var bytes = RandomNumberGenerator.GetBytes(3000 + partition % 97);
            var path = Path.Combine(_folder, $"{number}-{partition}-{delta}.crl");
            File.WriteAllBytes(path, bytes);
            return new CrlDocumentFile(new CrlDocumentInfo(kind, number, partition, delta, baseNumber, at, at.AddDays(1), 0, bytes.Length, SHA256.HashData(bytes)), path);
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
