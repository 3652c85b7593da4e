namespace Jpki.Load.Running;

/// <summary>The bounds of a run: how long, how many, how many at once, how fast.</summary>
/// <param name="Duration">Measured time; the run stops sending when it has passed.</param>
/// <param name="MaxRequests">The most requests measured (warm-up not included).</param>
/// <param name="Concurrency">Requests in flight at once (one worker each).</param>
/// <param name="Rate">Requests per second over all workers; 0 = as fast as the server answers (closed loop).</param>
/// <param name="Warmup">Time spent sending before measuring (JIT, connection pool, server caches); answers still checked.</param>
/// <param name="Timeout">Per-request timeout; a request that takes longer counts as a timeout error.</param>
internal sealed record LoadSettings(TimeSpan Duration, long MaxRequests, int Concurrency, double Rate, TimeSpan Warmup, TimeSpan Timeout)
{
    /// <summary>The hard limits a run may not exceed whatever the command line says.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    public const long MaxRequestCap = 100_000_000;

    public const int MaxConcurrency = 1024;
}
