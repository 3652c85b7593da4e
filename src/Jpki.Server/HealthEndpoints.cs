using Jpki.Core.Storage;
using Jpki.Municipality.Storage;
using Jpki.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server;

/// <summary>
/// <c>/healthz</c>: liveness, the state of the data folder and of each dependency (registry, counter store, PKCS#11
/// token). 503 with <c>status: degraded</c> when any of them fails, naming which.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (JpkiServerOptions options, TimeProvider clock, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var (dataOk, freeBytes) = await ProbeDataFolderAsync(options.DataDirectory, cancellationToken).ConfigureAwait(false);
            var dependencies = services.GetService<DependencyHealth>() is { } health
                ? await health.CheckAsync(services.GetService<ICounterStore>(), cancellationToken).ConfigureAwait(false)
                : [];
            var ok = dataOk && dependencies.All(d => d.Ok);
            var body = new HealthReport(ok ? "ok" : "degraded", clock.GetUtcNow(), dataOk, freeBytes, dependencies);
            return ok ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    /// <summary>
    /// Whether the data folder takes a write — a 4 KiB file written, flushed to disk and removed, the way a database commit or a
    /// CRL needs it — and the bytes free for it. A folder that exists on a full disk is not healthy: the check must say so
    /// before the next issuance or CRL does.
    /// </summary>
    internal static async Task<(bool Writable, long? FreeBytes)> ProbeDataFolderAsync(string folder, CancellationToken cancellationToken)
    {
        long? free = null;
        try
        {
            free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown; the write below decides.
        }

        if (!Directory.Exists(folder))
        {
            return (false, free);
        }

        var probe = Path.Combine(folder, $".healthz-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(probe, PrivateFiles.CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous)))
            {
                await stream.WriteAsync(new byte[4096], cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            return (true, free);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (false, free);
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the next start's clean-up of temporary files; never fails the check itself.
            }
        }
    }

    private sealed record HealthReport(string Status, DateTimeOffset Time, bool DataFolder, long? FreeBytes, IReadOnlyList<DependencyState> Dependencies);
}
