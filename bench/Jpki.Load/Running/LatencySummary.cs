using HdrHistogram;

namespace Jpki.Load.Running;

/// <summary>Latency percentiles in milliseconds (HdrHistogram, microsecond resolution, 3 significant digits).</summary>
internal sealed record LatencySummary(long Count, double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary From(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }

        static double Ms(long microseconds) => microseconds / 1000.0;
        return new LatencySummary(
            histogram.TotalCount,
            histogram.GetMean() / 1000.0,
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(90)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)),
            Ms(histogram.GetMaxValue()));
    }
}
