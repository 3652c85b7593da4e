using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Jpki.Authority.Contracts;
using Jpki.Authority.Contracts.Wire;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.AuthorityApi;

/// <summary>
/// The authority API for registered registration authorities (municipal terminals), under <c>/api/authority</c>:
/// issue a certificate, revoke one, read one's status. Every call needs a registration-authority key
/// (<c>X-Jpki-RA-Key</c> or <c>Authorization: Bearer</c>) or a registered TLS client certificate: 401 without, 403 with an
/// unregistered one. Bad input is 400 problem+json and stores nothing. A 201/200 answer is sent only after the registry
/// and audit transaction committed: it is the acknowledgement a client may rely on.
/// </summary>
internal static class AuthorityApiEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapAuthorityApi(this IEndpointRouteBuilder endpoints, AuthorityRuntime runtime)
    {
        // Every operation: credentials first (before the body is read), then the handler with the audit actor.
        var api = endpoints.MapGroup("/api/authority").WithTags("authority")
            .AddEndpointFilter((context, next) => RegistrationAuthorityChecks.FilterAsync(runtime.RegistrationAuthorities, context, next));

        api.MapPost("/certificates", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            var actor = RegistrationAuthorityChecks.ActorOf(http);

            var (body, error) = await ReadJsonAsync(http.Request, AuthorityJsonContext.Default.IssueBody, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (http.Request.Headers.TryGetValue(IssuanceRequestId.HeaderName, out var header))
            {
                // The idempotency key may come as a header (as HTTP APIs commonly take it) or in the body; never two different ones.
                if (header.Count != 1 || (body!.RequestId is not null && body.RequestId != header[0]))
                {
                    return BadInput($"Send one request id: the {IssuanceRequestId.HeaderName} header and the body's requestId differ.", "bad-request-id", "requestId");
                }

                body = body! with { RequestId = header[0] };
            }

            if (!CertificateIssuance.TryFromWire(body!, out var issuance, out var problem))
            {
                return BadInput(problem!);
            }

            CertificateRecord record;
            try
            {
                record = await runtime.Authority.IssueAsync(issuance!.ToIssueRequest(actor), cancellationToken).ConfigureAwait(false);
            }
            catch (IssueRequestException ex)
            {
                // The authority's one validator (IssueRequestValidator), shared with `jpki authority issue`; with a
                // request id also the refusal recorded for it, answered again word for word.
                return BadInput(ex.Message, ex.Code, ex.Field);
            }
            catch (IssuanceRequestConflictException ex)
            {
                return Problems.Of(StatusCodes.Status409Conflict, IssuanceRequestConflictException.Code, ex.Message,
                    new Dictionary<string, object?> { ["field"] = "requestId" }, title: "Request id reused");
            }
            catch (JpkiProfileException ex)
            {
                return BadInput(ex.Message, "bad-subject");
            }

            return Results.Created("/api/authority/certificates/" + record.SerialHex, record.ToContract().ToWire());
        })
        .Accepts<IssueBody>("application/json")
        .Produces<CertificateView>(StatusCodes.Status201Created)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithSummary("Issue a certificate (registration authorities only); 201 once it and its audit entry are committed. With a request id (body requestId or Idempotency-Key header) a repeat answers the first outcome; the id with another request is 409 request-id-reused.");

        api.MapPost("/certificates/{serial}/revocation", async (string serial, HttpContext http, CancellationToken cancellationToken) =>
        {
            var actor = RegistrationAuthorityChecks.ActorOf(http);

            if (!SerialNumbers.TryNormalize(serial, out var normalized))
            {
                return BadInput("The serial is not hexadecimal.", "bad-serial", "serial");
            }

            var (body, error) = await ReadJsonAsync(http.Request, AuthorityJsonContext.Default.RevokeBody, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            var reason = RevocationReason.Unspecified;
            if (body!.Reason is not null && !WireNames.TryParseReason(body.Reason, out reason))
            {
                return BadInput("reason is one of " + string.Join(", ", WireNames.ReasonNames) + ".", "bad-reason", "reason");
            }

            RevokeResult result;
            try
            {
                result = await runtime.Authority.RevokeAsync(normalized, reason, body.RevokedAt, actor, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentOutOfRangeException)
            {
                // A revocation dated in the future (or before the certificate existed) is refused, never stored (issue 12).
                return BadInput("revokedAt lies in the future or before the certificate was issued.", "bad-revocation-time", "revokedAt");
            }

            if (result == RevokeResult.NotFound)
            {
                return UnknownCertificate();
            }

            var record = await runtime.Authority.Registry.FindBySerialAsync(normalized, cancellationToken).ConfigureAwait(false);
            var revocation = record!.Revocation!;
            var answer = new RevocationAnswer(CertificateSerial.Parse(record.SerialHex), result, new CertificateRevocation(revocation.RevokedAt, revocation.Reason));
            return Results.Json(answer.ToWire(), AuthorityJsonContext.Default.RevocationView);
        })
        .Accepts<RevokeBody>("application/json")
        .Produces<RevocationView>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithSummary("Revoke a certificate (registration authorities only); 200 once the revocation and its audit entry are committed.");

        api.MapGet("/certificates", async (string? holderId, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(holderId) || holderId.Length > 128)
            {
                return BadInput("Give holderId (at most 128 characters).", "bad-holder-id", "holderId");
            }

            var records = await runtime.Authority.Registry.FindByHolderAsync(holderId, cancellationToken).ConfigureAwait(false);
            return Results.Json(records.Select(r => r.ToContract().ToWire()).ToList(), AuthorityJsonContext.Default.ListCertificateView);
        })
        .Produces<List<CertificateView>>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .WithSummary("A holder's certificates, oldest first, revoked ones included (registration authorities only).");

        api.MapGet("/certificates/{serial}", async (string serial, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (!SerialNumbers.TryNormalize(serial, out var normalized))
            {
                return BadInput("The serial is not hexadecimal.", "bad-serial", "serial");
            }

            var record = await runtime.Authority.Registry.FindBySerialAsync(normalized, cancellationToken).ConfigureAwait(false);
            return record is null ? UnknownCertificate() : Results.Json(record.ToContract().ToWire(), AuthorityJsonContext.Default.CertificateView);
        })
        .Produces<CertificateView>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("A certificate's registry record and status (registration authorities only).");

        return endpoints;
    }

    private static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Send the request as application/json."));
        }

        if (request.ContentLength is > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type);
            return value is null ? (null, BadInput("The body is not a JSON object.", "malformed-json")) : (value, null);
        }
        catch (JsonException)
        {
            return (null, BadInput("The body is not valid JSON of the expected shape.", "malformed-json"));
        }
    }

    private static IResult BadInput(string detail, string code = "bad-request", string? field = null) =>
        Problems.Of(StatusCodes.Status400BadRequest, code, detail, new Dictionary<string, object?> { ["field"] = field });

    private static IResult TooLarge() =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "request-too-large", $"The body is larger than {MaxBodyBytes} bytes.");

    private static IResult UnknownCertificate() =>
        Problems.Of(StatusCodes.Status404NotFound, "unknown-certificate", "No certificate with this serial was issued here.");
}
