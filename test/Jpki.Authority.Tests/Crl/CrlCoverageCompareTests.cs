using Jpki.Authority.Crl;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Crl;

/// <summary>
/// The coverage check's comparison itself: a CRL file as <see cref="StreamingCrlWriter"/> wrote it, read back, against the
/// registry's entries — every difference that matters (a lost, extra or doubled entry, another date or reason) refuses,
/// and the registry's own spelling of a serial (leading zeros, odd length) does not.
/// </summary>
public sealed class CrlCoverageCompareTests : IDisposable
{
    private static readonly DateTimeOffset ThisUpdate = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static readonly RevokedEntry[] Listed =
    [
        new("4A000000000000000000000000000001", new DateTimeOffset(2026, 11, 20, 1, 2, 3, TimeSpan.Zero), RevocationReason.AffiliationChanged),
        new("4A000000000000000000000000000002", new DateTimeOffset(2026, 11, 21, 1, 2, 3, TimeSpan.Zero), RevocationReason.KeyCompromise),
        new("8B", new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero), RevocationReason.Unspecified),
    ];

    private readonly Jpki.Authority.Ca.IssuingCa _ca = TestKeys.Ca(CertificateKind.Authentication);
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Compare_SameEntriesInTheRegistrysSpelling_Covered()
    {
        var path = await WriteAsync(Listed);
        RevokedEntry[] registry =
        [
            Listed[0] with { SerialHex = "004A000000000000000000000000000001" },
            Listed[1],
            Listed[2] with { SerialHex = "08B", RevokedAt = Listed[2].RevokedAt.AddTicks(4_000_000) }, // sub-second: the CRL keeps whole seconds
        ];

        var report = CrlCoverageCheck.Compare(Expect(registry), path, new Dictionary<int, string>(), CancellationToken.None);

        Assert.True(report.Covered, string.Join("; ", report.Problems));
        Assert.Equal(3, report.Entries);
    }

    public static TheoryData<string> Differences => ["missing", "extra", "doubled", "reason", "date", "serial"];

    [Theory]
    [MemberData(nameof(Differences))]
    public async Task Compare_RegistryDiffersFromTheFile_Refused(string difference)
    {
        var path = await WriteAsync(Listed);
        var registry = difference switch
        {
            "missing" => Listed[..2],
            "extra" => [.. Listed, new RevokedEntry("77", Listed[0].RevokedAt, RevocationReason.Superseded)],
            "doubled" => [.. Listed, Listed[1]],
            "reason" => [Listed[0] with { Reason = RevocationReason.Superseded }, Listed[1], Listed[2]],
            "date" => [Listed[0], Listed[1] with { RevokedAt = Listed[1].RevokedAt.AddSeconds(1) }, Listed[2]],
            _ => [Listed[0], Listed[1] with { SerialHex = "4A000000000000000000000000000003" }, Listed[2]],
        };

        var report = CrlCoverageCheck.Compare(Expect(registry), path, new Dictionary<int, string>(), CancellationToken.None);

        Assert.False(report.Covered);
        Assert.Contains(report.Problems, p => p.StartsWith("the full CRL lists", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_TruncatedFile_InvalidDataNotAVerdict()
    {
        var path = await WriteAsync(Listed);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Throws<InvalidDataException>(() => CrlCoverageCheck.Compare(Expect(Listed), path, new Dictionary<int, string>(), CancellationToken.None));
    }

    private static CrlCoverageCheck.Expectation Expect(IEnumerable<RevokedEntry> entries)
    {
        var expectation = new CrlCoverageCheck.Expectation(fullPublished: true, []);
        foreach (var entry in entries)
        {
            expectation.Add(entry);
        }

        return expectation;
    }

    private async Task<string> WriteAsync(IEnumerable<RevokedEntry> entries)
    {
        var path = _dir.File("auth.crl");
        await using (var output = File.Create(path))
        {
            await StreamingCrlWriter.WriteAsync(_ca, ToAsync(entries), 9, ThisUpdate, ThisUpdate.AddHours(24), output, CancellationToken.None);
        }

        return path;
    }

    private static async IAsyncEnumerable<RevokedEntry> ToAsync(IEnumerable<RevokedEntry> entries)
    {
        foreach (var entry in entries)
        {
            await Task.Yield();
            yield return entry;
        }
    }
}
