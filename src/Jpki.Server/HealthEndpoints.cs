using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server;

/// <summary><c>/healthz</c>: liveness and the state of the data folder.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (JpkiServerOptions options, TimeProvider clock) =>
        {
            var dataOk = Directory.Exists(options.DataDirectory);
            var body = new HealthReport(dataOk ? "ok" : "degraded", clock.GetUtcNow(), dataOk);
            return dataOk ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private sealed record HealthReport(string Status, DateTimeOffset Time, bool DataFolder);
}
