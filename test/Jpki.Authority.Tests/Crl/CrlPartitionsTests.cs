using Jpki.Authority.Crl;

namespace Jpki.Authority.Tests.Crl;

public class CrlPartitionsTests
{
    [Theory]
    [InlineData("2031-02-17T14:59:59Z", 3, 203101)]
    [InlineData("2031-03-31T14:59:59Z", 3, 203101)] // 23:59:59 JST on the 31st March
    [InlineData("2031-03-31T15:00:00Z", 3, 203104)] // already 1 April in Japan
    [InlineData("2031-12-31T14:59:59Z", 3, 203110)]
    [InlineData("2031-12-31T14:59:59Z", 1, 203112)]
    [InlineData("2031-07-01T00:00:00Z", 6, 203107)]
    [InlineData("2031-07-01T00:00:00Z", 12, 203101)]
    [InlineData("2031-07-01T00:00:00Z", 0, 0)]
    public void Of_ExpiryInJapan_WindowStart(string notAfter, int months, int expected)
    {
        Assert.Equal(expected, CrlPartitions.Of(DateTimeOffset.Parse(notAfter, System.Globalization.CultureInfo.InvariantCulture), months));
    }

    [Fact]
    public void Between_CoversEveryWindowOnce()
    {
        var from = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2028, 2, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal([202610, 202701, 202704, 202707, 202710, 202801], CrlPartitions.Between(from, to, 3));
        Assert.Equal(16, CrlPartitions.Between(from, to, 1).Count);
        Assert.Empty(CrlPartitions.Between(from, to, 0));
    }

    [Fact]
    public void Between_EveryCertificateInTheRangeHasAListedPartition()
    {
        // Property: for any expiry between from and to, its partition is among the published ones (the windows leave no gap).
        var from = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2036, 3, 31, 14, 59, 59, TimeSpan.Zero);
        foreach (var months in new[] { 1, 2, 3, 4, 6, 12 })
        {
            var published = CrlPartitions.Between(from, to, months).ToHashSet();
            for (var day = from; day <= to; day = day.AddHours(7))
            {
                Assert.Contains(CrlPartitions.Of(day, months), published);
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(24)]
    public void Of_UnsupportedWindow_Throws(int months)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CrlPartitions.Of(DateTimeOffset.UnixEpoch, months));
    }

    [Fact]
    public void PathOf_FullPartitionAndDelta()
    {
        Assert.Equal("/crl/sign.crl", CrlPartitions.PathOf("sign", 0, delta: false));
        Assert.Equal("/crl/auth-delta.crl", CrlPartitions.PathOf("auth", 0, delta: true));
        Assert.Equal("/crl/sign/203104.crl", CrlPartitions.PathOf("sign", 203104, delta: false));
        Assert.Equal("/crl/sign/203104-delta.crl", CrlPartitions.PathOf("sign", 203104, delta: true));
    }
}
