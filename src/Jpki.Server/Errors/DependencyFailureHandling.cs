using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jpki.Server.Errors;

/// <summary>
/// Turns a failing dependency into an answer the client can act on instead of a 500 with no body (docs/faults.md,
/// "Dependencies failing"): 503 Service Unavailable (database or PKCS#11 token down) or 507 Insufficient Storage (disk
/// full), with <c>Retry-After</c> and a problem+json body naming the dependency — never a connection string, path or
/// PIN. An OCSP request gets the RFC 6960 <c>tryLater</c> response as its body, so OCSP clients read the status they
/// know. Other exceptions pass through unchanged.
/// </summary>
internal static partial class DependencyFailureHandling
{
    /// <summary>Seconds a client should wait before retrying.</summary>
    public const int RetryAfterSeconds = 5;

    private static readonly byte[] OcspTryLater = [0x30, 0x03, 0x0A, 0x01, 0x03];

    public static IApplicationBuilder UseDependencyFailureHandling(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Jpki.Server.Dependencies");
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && DependencyFailures.Classify(ex) is { } failure)
            {
                LogDependencyFailure(logger, failure.Dependency, context.Request.Method, context.Request.Path.Value ?? string.Empty, failure.StatusCode, ex.GetType().Name);
                await WriteAsync(context, failure).ConfigureAwait(false);
            }
        });
    }

    private static async Task WriteAsync(HttpContext context, DependencyFailure failure)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = failure.StatusCode;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/ocsp", StringComparison.Ordinal))
        {
            response.ContentType = "application/ocsp-response";
            await response.Body.WriteAsync(OcspTryLater, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var code = failure.StatusCode == StatusCodes.Status507InsufficientStorage ? "storage-full" : "dependency-unavailable";
        var problem = new DependencyProblem(
            Problems.TypeOf(code),
            failure.StatusCode == StatusCodes.Status507InsufficientStorage ? "Insufficient storage" : "Service unavailable",
            failure.StatusCode,
            failure.Detail + " Try again later.",
            code,
            failure.Dependency,
            RetryAfterSeconds);
        await response.WriteAsJsonAsync(problem, DependencyProblemContext.Default.DependencyProblem, "application/problem+json", context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Dependency {Dependency} failed during {Method} {Path}: answered {Status} ({ExceptionType})")]
    private static partial void LogDependencyFailure(ILogger logger, string dependency, string method, string path, int status, string exceptionType);
}
