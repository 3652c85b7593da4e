using Jpki.Authority.Tsa;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Jpki.Server;

/// <summary>
/// The time-stamping authority over HTTP (RFC 3161 §3.4): <c>POST /tsa</c> with <c>application/timestamp-query</c>
/// answers <c>application/timestamp-reply</c> — a token, or a PKIStatus rejection for a malformed or unacceptable
/// request (HTTP 200 either way, as the RFC's transport expects). <c>GET /tsa/tsa-root.cer</c> and
/// <c>/tsa/tsa.cer</c> publish the TSA root (what verifiers trust) and the unit certificate.
/// </summary>
internal static class TsaEndpoints
{
    public static IEndpointRouteBuilder MapTsa(this IEndpointRouteBuilder endpoints, TimestampAuthority tsa)
    {
        endpoints.MapPost("/tsa", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            TimestampAnswer answer;
            if (!IsQuery(http.Request.ContentType))
            {
                answer = TimestampAuthority.Reject(TimestampFailure.BadRequest, $"The request must have Content-Type {TimestampAuthority.RequestMediaType} (RFC 3161 §3.4).");
            }
            else
            {
                var body = await ReadAsync(http.Request, tsa.Options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
                answer = body is null
                    ? TimestampAuthority.Reject(TimestampFailure.BadDataFormat, $"The request is larger than {tsa.Options.MaxRequestBytes} bytes.")
                    : await tsa.RespondAsync(body, cancellationToken).ConfigureAwait(false);
            }

            return Results.Bytes(answer.Der, TimestampAuthority.ReplyMediaType);
        });

        endpoints.MapGet("/tsa/tsa-root.cer", () => Results.Bytes(tsa.RootCertificate.RawData, "application/pkix-cert"));
        endpoints.MapGet("/tsa/tsa.cer", () => Results.Bytes(tsa.Certificate.RawData, "application/pkix-cert"));
        return endpoints;
    }

    private static bool IsQuery(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && string.Equals(parsed.MediaType.Value, TimestampAuthority.RequestMediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
