using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Core.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jpki.Server;

/// <summary>
/// Runs the authority's background work in the server (<see cref="AuthorityRuntime.RunAsync"/>): CRL publication and
/// OCSP pre-signing when this process holds the registry's publisher lease, following the other publisher otherwise, and
/// the revocation feed. On the first start of a registry that has no CRL yet, the server starts listening only once the
/// first CRLs are published (CRLs are never built on a request).
/// </summary>
internal sealed partial class RevocationPublicationService(AuthorityRuntime runtime, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FirstPublicationWait = TimeSpan.FromMinutes(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.UseLogging(loggers);
        _running = Task.Run(() => runtime.RunAsync(_stopping.Token), CancellationToken.None);
        try
        {
            await runtime.Crls.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException)
        {
            // The registry is down at start: serve what can be served; the publisher retries in the background.
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(FirstPublicationWait);
        try
        {
            foreach (var kind in new[] { CertificateKind.Signature, CertificateKind.Authentication })
            {
                await runtime.Crls.WhenPublishedAsync(kind, wait.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogFirstPublicationLate(loggers.CreateLogger<RevocationPublicationService>(), (int)FirstPublicationWait.TotalMinutes, runtime.Crls.LastFailure);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 4150, Level = LogLevel.Error, Message = "No CRL was published within {Minutes} minutes of the start; serving without (503) until the publisher succeeds.")]
    private static partial void LogFirstPublicationLate(ILogger logger, int minutes, Exception? exception);
}
