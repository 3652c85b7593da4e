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
            var dataOk = Directory.Exists(options.DataDirectory);
            var dependencies = services.GetService<DependencyHealth>() is { } health
                ? await health.CheckAsync(services.GetService<ICounterStore>(), cancellationToken).ConfigureAwait(false)
                : [];
            var ok = dataOk && dependencies.All(d => d.Ok);
            var body = new HealthReport(ok ? "ok" : "degraded", clock.GetUtcNow(), dataOk, dependencies);
            return ok ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private sealed record HealthReport(string Status, DateTimeOffset Time, bool DataFolder, IReadOnlyList<DependencyState> Dependencies);
}
