using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using HdrHistogram;

namespace Jpki.Load.Running;

/// <summary>
/// Runs a scenario with N workers (closed loop, or paced to a global rate) for a bounded time and count, timing each
/// request with <see cref="Stopwatch"/> and counting errors by kind. Requests still in flight when the time is up
/// finish and count; no request starts after it.
/// </summary>
internal static class LoadRunner
{
    // Latencies in microseconds up to 10 minutes, 3 significant digits.
    private const long HighestLatencyMicroseconds = 600_000_000;

    public static async Task<LoadReport> RunAsync(IScenario scenario, string url, LoadSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Warmup > TimeSpan.Zero)
        {
            await PhaseAsync(scenario, settings with { Rate = settings.Rate, MaxRequests = LoadSettings.MaxRequestCap }, settings.Warmup, cancellationToken).ConfigureAwait(false);
        }

        var measured = await PhaseAsync(scenario, settings, settings.Duration, cancellationToken).ConfigureAwait(false);
        var errors = measured.Errors.Values.Sum();
        var elapsed = measured.Elapsed.TotalSeconds;
        return new LoadReport
        {
            Scenario = scenario.Name,
            Url = url,
            Concurrency = settings.Concurrency,
            Rate = settings.Rate,
            DurationSeconds = settings.Duration.TotalSeconds,
            ElapsedSeconds = elapsed,
            Requests = measured.Histogram.TotalCount + errors,
            Succeeded = measured.Histogram.TotalCount,
            Errors = errors,
            ErrorsByKind = new SortedDictionary<string, long>(measured.Errors, StringComparer.Ordinal),
            Throughput = elapsed > 0 ? measured.Histogram.TotalCount / elapsed : 0,
            BytesReceived = measured.Bytes,
            BytesPerSecond = elapsed > 0 ? measured.Bytes / elapsed : 0,
            Latency = LatencySummary.From(measured.Histogram),
            Tags = new SortedDictionary<string, long>(measured.Tags, StringComparer.Ordinal),
            Notes = scenario.Notes,
            StoppedBy = measured.StoppedBy,
        };
    }

    private static async Task<Phase> PhaseAsync(IScenario scenario, LoadSettings settings, TimeSpan duration, CancellationToken cancellationToken)
    {
        var phase = new Phase();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long next = -1;
        var workers = new Task<LongHistogram>[settings.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                var histogram = new LongHistogram(HighestLatencyMicroseconds, 3);
                while (!cancellationToken.IsCancellationRequested)
                {
                    var index = Interlocked.Increment(ref next);
                    if (index >= settings.MaxRequests)
                    {
                        phase.Stop("max-requests");
                        break;
                    }

                    if (settings.Rate > 0)
                    {
                        var due = start + (long)(index / settings.Rate * Stopwatch.Frequency);
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                        if (due > end)
                        {
                            phase.Stop("duration");
                            break;
                        }

                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    if (Stopwatch.GetTimestamp() >= end)
                    {
                        phase.Stop("duration");
                        break;
                    }

                    var sent = Stopwatch.GetTimestamp();
                    var outcome = await SendAsync(scenario, index, settings.Timeout, cancellationToken).ConfigureAwait(false);
                    if (outcome is not { } result)
                    {
                        phase.Stop("exhausted");
                        break;
                    }

                    var micros = (long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds;
                    phase.Record(result);
                    if (result.IsSuccess)
                    {
                        histogram.RecordValue(Math.Min(Math.Max(micros, 1), HighestLatencyMicroseconds));
                    }
                }

                return histogram;
            }, CancellationToken.None);
        }

        var histograms = await Task.WhenAll(workers).ConfigureAwait(false);
        phase.Elapsed = Stopwatch.GetElapsedTime(start);
        foreach (var h in histograms)
        {
            phase.Histogram.Add(h);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            phase.Stop("cancelled");
        }

        return phase;
    }

    /// <summary>One request with its own timeout; exceptions become error kinds.</summary>
    private static async Task<Outcome?> SendAsync(IScenario scenario, long index, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var perRequest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        perRequest.CancelAfter(timeout);
        try
        {
            return await scenario.RunOnceAsync(index, perRequest.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(ErrorKind.Timeout, 0, null, "no answer within " + timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " s");
        }
        catch (HttpRequestException e)
        {
            return new Outcome(ErrorKind.Connection, 0, null, e.HttpRequestError.ToString());
        }
        catch (IOException e) when (e.InnerException is SocketException socket)
        {
            return new Outcome(ErrorKind.Connection, 0, null, socket.SocketErrorCode.ToString());
        }
    }

    private sealed class Phase
    {
        private string? _stoppedBy;

        public LongHistogram Histogram { get; } = new(HighestLatencyMicroseconds, 3);

        public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, long> Tags { get; } = new(StringComparer.Ordinal);

        public long Bytes => Interlocked.Read(ref _bytes);

        public TimeSpan Elapsed { get; set; }

        public string StoppedBy => _stoppedBy ?? "duration";

        private long _bytes;

        public void Stop(string why) => Interlocked.CompareExchange(ref _stoppedBy, why, null);

        public void Record(Outcome outcome)
        {
            Interlocked.Add(ref _bytes, outcome.Bytes);
            if (outcome.Tag is { } tag)
            {
                Tags.AddOrUpdate(tag, 1, (_, n) => n + 1);
            }

            if (!outcome.IsSuccess)
            {
                var key = Kebab(outcome.Error) + (outcome.Detail is null ? string.Empty : ": " + outcome.Detail);
                Errors.AddOrUpdate(key, 1, (_, n) => n + 1);
            }
        }

        private static string Kebab(ErrorKind kind) => kind switch
        {
            ErrorKind.HttpStatus => "http-status",
            ErrorKind.Timeout => "timeout",
            ErrorKind.Connection => "connection",
            ErrorKind.WrongAnswer => "wrong-answer",
            _ => "none",
        };
    }
}
