using System.Net;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Revocation;

/// <summary>
/// Which CRL answers when there are several (issue 12 item 1: the last one added used to win, so an old CRL added
/// after a new one hid a revocation), partitioned CRLs (issuingDistributionPoint against the certificate's
/// distribution point) and delta CRLs.
/// </summary>
[Trait("Category", "Security")]
public class CrlSelectionTests
{
    private const string PartitionA = "http://crl.test/crl/sign/202701.crl";
    private const string PartitionB = "http://crl.test/crl/sign/202704.crl";

    private static readonly X509Certificate2 Certificate = TestPki.Issue(new TestPki.Ee { Serial = 0x7001, CrlUri = PartitionA });

    private static byte[] Old() => TestCrls.Build(new TestCrls.Spec { Number = 1, ThisUpdate = TestPki.Now.AddHours(-5), NextUpdate = TestPki.Now.AddDays(1) });

    private static byte[] NewRevoking() => TestCrls.Build(new TestCrls.Spec
    {
        Number = 2,
        ThisUpdate = TestPki.Now.AddHours(-1),
        Revoked = [(Certificate, TestPki.Now.AddHours(-2), 1)],
    });

    private static ValueTask<RevocationStatus> CheckAsync(CrlRevocationSource source, X509Certificate2? certificate = null)
        => source.CheckAsync(certificate ?? Certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None);

    [Fact]
    public async Task CheckAsync_NewerCrlAddedBeforeOlder_NewerWins()
    {
        var status = await CheckAsync(new CrlRevocationSource().Add(NewRevoking()).Add(Old()));

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Contains("#2", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_OlderCrlAddedBeforeNewer_NewerWins()
    {
        var status = await CheckAsync(new CrlRevocationSource().Add(Old()).Add(NewRevoking()));

        Assert.Equal(RevocationState.Revoked, status.State);
    }

    [Fact]
    public async Task CheckAsync_OlderCrlAddedAfterAnswer_NewerStillWins()
    {
        var source = new CrlRevocationSource().Add(NewRevoking());
        Assert.Equal(RevocationState.Revoked, (await CheckAsync(source)).State);

        source.Add(Old());

        Assert.Equal(RevocationState.Revoked, (await CheckAsync(source)).State);
    }

    [Fact]
    public async Task CheckAsync_SameNumberLaterThisUpdate_LaterWins()
    {
        var earlier = TestCrls.Build(new TestCrls.Spec { Number = 5, ThisUpdate = TestPki.Now.AddHours(-3) });
        var later = TestCrls.Build(new TestCrls.Spec { Number = 5, ThisUpdate = TestPki.Now.AddHours(-1), Revoked = [(Certificate, TestPki.Now.AddHours(-2), null)] });

        Assert.Equal(RevocationState.Revoked, (await CheckAsync(new CrlRevocationSource().Add(later).Add(earlier))).State);
    }

    [Fact]
    public async Task CheckAsync_NewestStaleOlderFresh_UnknownNotTheOlder()
    {
        // A rolled-back CRL with a long validity must not replace a newer one that has since expired.
        var newerButStale = TestCrls.Build(new TestCrls.Spec { Number = 9, ThisUpdate = TestPki.Now.AddDays(-3), NextUpdate = TestPki.Now.AddDays(-2), Revoked = [(Certificate, TestPki.Now.AddDays(-4), 1)] });
        var olderLongLived = TestCrls.Build(new TestCrls.Spec { Number = 3, ThisUpdate = TestPki.Now.AddDays(-10), NextUpdate = TestPki.Now.AddDays(30) });

        var status = await CheckAsync(new CrlRevocationSource().Add(olderLongLived).Add(newerButStale));

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("stale", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_DownloadServesOlderCrlAfterNewer_Refused()
    {
        var rolledBack = TestCrls.Build(new TestCrls.Spec { Number = 1, ThisUpdate = TestPki.Now.AddHours(-5), NextUpdate = TestPki.Now.AddDays(30) });
        var server = new SequenceCrlServer(NewRevoking(), rolledBack);
        var source = new CrlRevocationSource(new HttpClient(server));
        var first = await source.CheckAsync(Certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None);
        Assert.Equal(RevocationState.Revoked, first.State);

        // Past the newer CRL's nextUpdate the source downloads again and is served the older one: refused.
        var later = TestPki.Now.AddDays(1).AddHours(1);
        var second = await source.CheckAsync(Certificate, TestPki.SignCa, later, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, second.State);
        Assert.Contains("older than", second.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Downloads);
    }

    [Fact]
    public async Task CheckAsync_PartitionCoveringCertificate_Answers()
    {
        var partition = TestCrls.Build(new TestCrls.Spec { Partition = PartitionA, Revoked = [(Certificate, TestPki.Now.AddHours(-2), 1)] });

        var status = await CheckAsync(new CrlRevocationSource().Add(partition));

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Contains("partition", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_OtherPartitionOnly_UnknownNotGood()
    {
        // A partition CRL says nothing about certificates outside its scope: "not listed" is not "good".
        var other = TestCrls.Build(new TestCrls.Spec { Partition = PartitionB });

        var status = await CheckAsync(new CrlRevocationSource().Add(other));

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("does not cover", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_PartitionCrlCertificateWithoutDistributionPoint_Unknown()
    {
        var bare = TestPki.Issue(new TestPki.Ee { Serial = 0x7002 });
        var partition = TestCrls.Build(new TestCrls.Spec { Partition = PartitionA });

        Assert.Equal(RevocationState.Unknown, (await CheckAsync(new CrlRevocationSource().Add(partition), bare)).State);
    }

    [Fact]
    public async Task CheckAsync_UnsupportedScope_Unknown()
    {
        var byReason = TestCrls.Build(new TestCrls.Spec { Partition = PartitionA, OnlySomeReasons = true });

        var status = await CheckAsync(new CrlRevocationSource().Add(byReason));

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("onlySomeReasons", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_CompleteCrlWithoutScope_CoversPartitionedCertificate()
    {
        Assert.Equal(RevocationState.Revoked, (await CheckAsync(new CrlRevocationSource().Add(NewRevoking()))).State);
    }

    [Fact]
    public async Task CheckAsync_DeltaListsRevocation_Revoked()
    {
        var complete = TestCrls.Build(new TestCrls.Spec { Number = 10, Partition = PartitionA });
        var delta = TestCrls.Build(new TestCrls.Spec { Number = 11, DeltaBase = 10, Partition = PartitionA, ThisUpdate = TestPki.Now.AddMinutes(-1), NextUpdate = TestPki.Now.AddHours(1), Revoked = [(Certificate, TestPki.Now.AddMinutes(-3), 1)] });

        var status = await CheckAsync(new CrlRevocationSource().Add(delta).Add(complete));

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Contains("delta CRL #11", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_UseDeltasOff_CompleteAlone()
    {
        var complete = TestCrls.Build(new TestCrls.Spec { Number = 10 });
        var delta = TestCrls.Build(new TestCrls.Spec { Number = 11, DeltaBase = 10, Revoked = [(Certificate, TestPki.Now.AddMinutes(-3), 1)] });

        var status = await CheckAsync(new CrlRevocationSource(new CrlSourceOptions { UseDeltas = false }).Add(delta).Add(complete));

        Assert.Equal(RevocationState.Good, status.State);
    }

    [Theory]
    [InlineData(12, 11, "base above the complete CRL's number")]
    [InlineData(9, 10, "not newer than the complete CRL")]
    public async Task CheckAsync_DeltaNotApplicable_CompleteAlone(long deltaBase, long deltaNumber, string why)
    {
        var complete = TestCrls.Build(new TestCrls.Spec { Number = 10 });
        var delta = TestCrls.Build(new TestCrls.Spec { Number = deltaNumber, DeltaBase = deltaBase, Revoked = [(Certificate, TestPki.Now.AddMinutes(-3), 1)] });

        var status = await CheckAsync(new CrlRevocationSource().Add(complete).Add(delta));

        Assert.True(status.State == RevocationState.Good, why);
        Assert.Contains("no delta CRL applied", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_DeltaOfOtherScope_NotApplied()
    {
        var complete = TestCrls.Build(new TestCrls.Spec { Number = 10, Partition = PartitionA });
        var fullDelta = TestCrls.Build(new TestCrls.Spec { Number = 11, DeltaBase = 10, Revoked = [(Certificate, TestPki.Now.AddMinutes(-3), 1)] });

        Assert.Equal(RevocationState.Good, (await CheckAsync(new CrlRevocationSource().Add(complete).Add(fullDelta))).State);
    }

    [Fact]
    public async Task CheckAsync_OlderDeltaAddedAfterNewer_NewerDeltaWins()
    {
        var complete = TestCrls.Build(new TestCrls.Spec { Number = 10 });
        var newer = TestCrls.Build(new TestCrls.Spec { Number = 12, DeltaBase = 10, Revoked = [(Certificate, TestPki.Now.AddMinutes(-3), 1)] });
        var older = TestCrls.Build(new TestCrls.Spec { Number = 11, DeltaBase = 10, ThisUpdate = TestPki.Now.AddHours(-2) });

        Assert.Equal(RevocationState.Revoked, (await CheckAsync(new CrlRevocationSource().Add(complete).Add(newer).Add(older))).State);
    }

    [Fact]
    public async Task CheckAsync_DeltaDownloadedFromFreshestCrl_Revoked()
    {
        var complete = TestCrls.Build(new TestCrls.Spec { Number = 20, Partition = PartitionA, Freshest = "http://crl.test/crl/sign/202701-delta.crl" });
        var delta = TestCrls.Build(new TestCrls.Spec { Number = 21, DeltaBase = 20, Partition = PartitionA, Revoked = [(Certificate, TestPki.Now.AddMinutes(-3), 1)] });
        var server = new MapCrlServer(new()
        {
            [PartitionA] = complete,
            ["http://crl.test/crl/sign/202701-delta.crl"] = delta,
        });
        var source = new CrlRevocationSource(new HttpClient(server));

        var status = await CheckAsync(source);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal([PartitionA, "http://crl.test/crl/sign/202701-delta.crl"], server.Requested);
    }

    [Fact]
    public async Task CheckAsync_DownloadedCrlOfOtherPartition_Refused()
    {
        var server = new MapCrlServer(new() { [PartitionA] = TestCrls.Build(new TestCrls.Spec { Partition = PartitionB }) });

        var status = await CheckAsync(new CrlRevocationSource(new HttpClient(server)));

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("does not cover", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DuplicateExtension_Refused()
    {
        var crl = TestCrls.Build(new TestCrls.Spec { Number = 1 });
        var twice = Duplicate(crl);

        Assert.Throws<RevocationDataException>(() => CertificateRevocationList.Decode(twice));
    }

    private static byte[] Duplicate(byte[] crl)
    {
        // Re-encode the TBS with its cRLNumber extension repeated (signature is irrelevant to decoding).
        var outer = new System.Formats.Asn1.AsnReader(crl, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadSequence();
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                while (tbs.HasData)
                {
                    var tag = tbs.PeekTag();
                    if (tag.TagClass == System.Formats.Asn1.TagClass.ContextSpecific && tag.TagValue == 0)
                    {
                        var wrapper = tbs.ReadSequence(tag);
                        var extensions = wrapper.ReadSequence();
                        using (writer.PushSequence(tag))
                        using (writer.PushSequence())
                        {
                            while (extensions.HasData)
                            {
                                var one = extensions.ReadEncodedValue();
                                writer.WriteEncodedValue(one.Span);
                                writer.WriteEncodedValue(one.Span);
                            }
                        }
                    }
                    else
                    {
                        writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                    }
                }
            }

            writer.WriteEncodedValue(outer.ReadEncodedValue().Span);
            writer.WriteEncodedValue(outer.ReadEncodedValue().Span);
        }

        return writer.Encode();
    }

    /// <summary>Serves the given CRLs one after the other (the last one again when they run out).</summary>
    private sealed class SequenceCrlServer(params byte[][] crls) : HttpMessageHandler
    {
        public int Downloads { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var crl = crls[Math.Min(Downloads, crls.Length - 1)];
            Downloads++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(crl) });
        }
    }

    /// <summary>Serves CRLs by URI; 404 for others.</summary>
    private sealed class MapCrlServer(Dictionary<string, byte[]> crls) : HttpMessageHandler
    {
        public List<string> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!.AbsoluteUri;
            Requested.Add(uri);
            return Task.FromResult(crls.TryGetValue(uri, out var crl)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(crl) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
