using Jpki.Municipality.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jpki.Server;

/// <summary>
/// Hosts <see cref="CounterRuntime.RunPendingRevocationsAsync"/>: registry changes whose revocation could not reach the
/// authority are retried at start-up and then periodically until done, and issuances that stopped half-way (card write
/// failed, process killed) are resolved — their certificates revoked — once untouched for the grace period. Does nothing when no
/// <see cref="CounterRuntime"/> is registered in the container.
/// </summary>
internal sealed partial class PendingRevocationWorker(IServiceProvider services, ILogger<PendingRevocationWorker> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runtime = services.GetService<CounterRuntime>();
        if (runtime is null)
        {
            return Task.CompletedTask;
        }

        return runtime.RunPendingRevocationsAsync(
            left =>
            {
                if (left > 0)
                {
                    LogStillPending(logger, left);
                }
            },
            e => LogRoundFailed(logger, e.GetType().Name, e),
            stoppingToken);
    }

    [LoggerMessage(EventId = 5220, Level = LogLevel.Warning, Message = "{Count} revocation task(s) of registry changes or half-done issuance(s) are still pending; retrying later")]
    private static partial void LogStillPending(ILogger logger, int count);

    [LoggerMessage(EventId = 5221, Level = LogLevel.Error, Message = "A round of pending revocations failed ({Kind}); retrying later")]
    private static partial void LogRoundFailed(ILogger logger, string kind, Exception exception);
}
