using System.Diagnostics;
using System.Globalization;

namespace Jpki.Benchmarks;

/// <summary>
/// Console mode <c>verify-rate</c>: CMS verifications per second (same setup as <see cref="VerificationBenchmarks"/>:
/// path validation and a cached CRL) on N threads for a fixed time — a throughput figure for all cores that
/// BenchmarkDotNet's per-operation mean does not give directly.
/// </summary>
public static class VerificationRate
{
    public const string Name = "verify-rate";

    public static int Run(string[] args)
    {
        var seconds = Option(args, "--seconds", 5);
        var threads = Option(args, "--threads", Environment.ProcessorCount);
        var bench = new VerificationBenchmarks();
        bench.Setup();
        try
        {
            // Warm-up: JIT and caches.
            var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            while (Stopwatch.GetTimestamp() < warmUntil)
            {
                _ = bench.VerifyCms();
            }

            var counts = new long[threads];
            var failures = 0L;
            var watch = Stopwatch.StartNew();
            var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                long n = 0;
                while (Stopwatch.GetTimestamp() < end)
                {
                    if (!bench.VerifyCms())
                    {
                        Interlocked.Increment(ref failures);
                    }

                    n++;
                }

                counts[t] = n;
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            watch.Stop();
            var total = counts.Sum();
            var rate = total / watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verify-rate: {threads} thread(s), {watch.Elapsed.TotalSeconds:F1} s, {total:N0} CMS verifications, {rate:N0}/s ({rate / threads:N0}/s per thread), {failures} not valid, {GC.CollectionCount(0)} gen0 GCs"));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
