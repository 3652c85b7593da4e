using System.Net;
using Jpki.Authority;
using Jpki.Municipality.Reports;
using Jpki.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jpki.Server;

/// <summary>
/// The operator's view of <c>jpki serve</c> (docs/operations.md): OpenTelemetry metrics of the authority, the counter,
/// ASP.NET Core, Kestrel and the runtime, in Prometheus text format on their own listener (<see cref="JpkiServerOptions.MetricsUrl"/>,
/// never on the public addresses), and metrics and traces over OTLP when an endpoint is given
/// (<see cref="JpkiServerOptions.OtlpEndpoint"/> or the standard <c>OTEL_EXPORTER_OTLP_*</c> environment). Off unless asked for.
/// </summary>
internal static class ServerTelemetry
{
    /// <summary>The service name in every exported resource.</summary>
    public const string ServiceName = "jpki-serve";

    /// <summary>Whether <paramref name="url"/> can be a metrics listener: <c>http://address:port/</c> with an IP address or <c>localhost</c>, no path.</summary>
    public static bool IsMetricsUrl(Uri url, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(url);
        problem = !url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttp ? "must be an http:// address (scrapers reach it on a management network or loopback)"
            : url.AbsolutePath != "/" ? "takes no path: the metrics are at /metrics on it"
            : !IPAddress.TryParse(url.Host.Trim('[', ']'), out _) && url.Host != "localhost" ? "needs an IP address (e.g. 127.0.0.1) or localhost, not a host name"
            : null;
        return problem is null;
    }

    /// <summary>Refuses a <see cref="JpkiServerOptions.MetricsUrl"/> that could not be a listener of its own — before anything is opened.</summary>
    /// <exception cref="ArgumentException">It is not <c>http://address:port/</c>.</exception>
    public static void ThrowIfInvalid(JpkiServerOptions options)
    {
        if (options.MetricsUrl is { } given && !IsMetricsUrl(given, out var problem))
        {
            throw new ArgumentException($"The metrics address {given} {problem}.", nameof(options));
        }
    }

    public static void AddJpkiTelemetry(this WebApplicationBuilder builder, JpkiServerOptions options)
    {
        var otlp = options.OtlpEndpoint is not null || !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (options.MetricsUrl is null && !otlp)
        {
            return;
        }

        ThrowIfInvalid(options);

        if (options.OtlpEndpoint is { } endpoint)
        {
            // As if given in the environment: the exporter then appends /v1/metrics and /v1/traces itself (http/protobuf).
            builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint.ToString();
            builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] ??= "http/protobuf";
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(ServerTelemetry).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AuthorityTelemetry.Name, CounterTelemetry.Name, VerificationTelemetry.Name, Errors.Problems.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.MetricsUrl is { } url)
                {
                    metrics.AddPrometheusHttpListener(listener =>
                    {
                        listener.Host = url.Host;
                        listener.Port = url.Port;
                        listener.ScrapeEndpointPath = "/metrics";
                    });
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(AuthorityTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspnet =>
                {
                    // The liveness probes of a load balancer are no trace worth keeping.
                    aspnet.Filter = http => !http.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal);
                })
                .AddOtlpExporter());
        }
    }
}
