namespace Jpki.Load.Running;

/// <summary>The figures of one measured run (warm-up excluded). Latencies in milliseconds, of successful requests.</summary>
internal sealed record LoadReport
{
    public required string Scenario { get; init; }

    public required string Url { get; init; }

    public required int Concurrency { get; init; }

    public required double Rate { get; init; }

    public required double DurationSeconds { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required long Requests { get; init; }

    public required long Succeeded { get; init; }

    public required long Errors { get; init; }

    /// <summary>Error counts by kind and detail, e.g. <c>http-status: HTTP 503</c>.</summary>
    public required IReadOnlyDictionary<string, long> ErrorsByKind { get; init; }

    /// <summary>Successful requests per second over the elapsed time.</summary>
    public required double Throughput { get; init; }

    public required long BytesReceived { get; init; }

    public required double BytesPerSecond { get; init; }

    public required LatencySummary Latency { get; init; }

    /// <summary>Requests by sub-kind (post/get, 200/304, status).</summary>
    public required IReadOnlyDictionary<string, long> Tags { get; init; }

    public required IReadOnlyDictionary<string, string> Notes { get; init; }

    /// <summary>Why the run stopped: <c>duration</c>, <c>max-requests</c>, <c>exhausted</c> or <c>cancelled</c>.</summary>
    public required string StoppedBy { get; init; }
}
