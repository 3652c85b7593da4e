using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Errors;

/// <summary>
/// The one error shape of every HTTP endpoint (RFC 9457 problem details, <c>application/problem+json</c>):
/// <c>type</c> (<see cref="TypePrefix"/> + the code), <c>title</c> (the HTTP reason phrase, or a fixed short summary),
/// <c>status</c>, <c>detail</c> (one English sentence saying what is wrong) and the stable machine <c>code</c>
/// extension, plus the endpoint's own extensions (<c>field</c>, <c>message</c>, <c>triesLeft</c>, …). Every code is
/// listed in docs/errors.md. The exceptions — OCSP and TSA protocol answers, OAuth/OIDC error answers — are listed there too.
/// </summary>
internal static class Problems
{
    /// <summary>The <c>type</c> of a problem is this tag URI (RFC 4151) followed by its code; it names, it does not resolve.</summary>
    public const string TypePrefix = "tag:openjpki.org,2026:problem:";

    /// <summary>The name of the server's own <see cref="Meter"/> (docs/operations.md).</summary>
    public const string MeterName = "OpenJpki.Server";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Answered = Meter.CreateCounter<long>(
        "jpki.http.problems", "{response}",
        "Error answers of the HTTP API (RFC 9457 problem details), by their stable code (docs/errors.md) and HTTP status.");

    /// <summary>A problem answer with <paramref name="code"/>; <paramref name="more"/> adds extensions.</summary>
    public static IResult Of(int status, string code, string detail, IEnumerable<KeyValuePair<string, object?>>? more = null, string? title = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in more ?? [])
        {
            if (value is not null)
            {
                extensions[key] = value;
            }
        }

        extensions["code"] = code;
        return TypedResults.Problem(detail, statusCode: status, title: title ?? Title(status), type: TypeOf(code), extensions: extensions);
    }

    /// <summary>The <c>type</c> URI of <paramref name="code"/>.</summary>
    public static string TypeOf(string code) => TypePrefix + code;

    /// <summary>The code of an answer that had none (a bare 401, 404 or 405 from routing or authorisation).</summary>
    public static string CodeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad-request",
        StatusCodes.Status401Unauthorized => "unauthenticated",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status406NotAcceptable => "not-acceptable",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "request-too-large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        StatusCodes.Status422UnprocessableEntity => "unprocessable",
        StatusCodes.Status429TooManyRequests => "too-many-requests",
        StatusCodes.Status503ServiceUnavailable => "service-unavailable",
        >= 500 => "internal-error",
        _ => "bad-request",
    };

    /// <summary>
    /// Registered with <c>AddProblemDetails</c>: every problem written through ASP.NET Core (<c>Results.Problem</c>, status
    /// code pages, the exception handler) gets a <c>code</c> (from its status when the endpoint gave none) and a <c>type</c> naming it.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        if (!problem.Extensions.TryGetValue("code", out var given) || given is not string code || code.Length == 0)
        {
            code = CodeOf(status);
            problem.Extensions["code"] = code;
        }

        if (problem.Type is null || !problem.Type.StartsWith(TypePrefix, StringComparison.Ordinal))
        {
            problem.Type = TypeOf(code);
        }

        problem.Title ??= Title(status);
        problem.Detail ??= problem.Title + ".";
        Answered.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("status", status));
    }

    /// <summary>
    /// For <c>UseStatusCodePages</c>: an API answer that left the body empty (a 401 from authorisation, a 404 of an
    /// unknown route, a 405) gets the problem body. Pages, OCSP, TSA and OIDC answers are left as they are.
    /// </summary>
    public static async Task WriteBareStatusAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return;
        }

        var status = http.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status401Unauthorized => "Sign in (or present the credentials of this API) first.",
            StatusCodes.Status403Forbidden => "The signed-in account may not do this.",
            StatusCodes.Status404NotFound => "No such resource or route.",
            StatusCodes.Status405MethodNotAllowed => "The route does not take this method.",
            _ => Title(status) + ".",
        };
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = Title(status), Detail = detail },
        }).ConfigureAwait(false);
    }

    private static string Title(int status) => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
