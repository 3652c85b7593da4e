using System.Globalization;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, RevocationReason> Reasons = new(StringComparer.Ordinal)
    {
        ["unspecified"] = RevocationReason.Unspecified,
        ["key-compromise"] = RevocationReason.KeyCompromise,
        ["ca-compromise"] = RevocationReason.CACompromise,
        ["affiliation-changed"] = RevocationReason.AffiliationChanged,
        ["superseded"] = RevocationReason.Superseded,
        ["cessation-of-operation"] = RevocationReason.CessationOfOperation,
        ["privilege-withdrawn"] = RevocationReason.PrivilegeWithdrawn,
    };

    public static IEndpointRouteBuilder MapAuthorityApi(this IEndpointRouteBuilder endpoints, AuthorityRuntime runtime)
    {
        // Every operation: credentials first (before the body is read), then the handler with the audit actor.
        var api = endpoints.MapGroup("/api/authority").WithTags("authority")
            .AddEndpointFilter((context, next) => RegistrationAuthorityChecks.FilterAsync(runtime.RegistrationAuthorities, context, next));

        api.MapPost("/certificates", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            var actor = RegistrationAuthorityChecks.ActorOf(http);

            var (body, error) = await ReadJsonAsync<AuthorityApiJson.IssueBody>(http.Request, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (ToRequest(body!, actor, out var problem) is not { } request)
            {
                return BadInput(problem!);
            }

            CertificateRecord record;
            try
            {
                record = await runtime.Authority.IssueAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (IssueRequestException ex)
            {
                // The authority's one validator (IssueRequestValidator), shared with `jpki authority issue`.
                return BadInput(ex.Message, ex.Code, ex.Field);
            }
            catch (ArgumentException ex)
            {
                return BadInput(FirstSentence(ex.Message));
            }
            catch (JpkiProfileException ex)
            {
                return BadInput(ex.Message);
            }

            return Results.Created("/api/authority/certificates/" + record.SerialHex, View(record));
        })
        .Accepts<AuthorityApiJson.IssueBody>("application/json")
        .Produces<AuthorityApiJson.CertificateView>(StatusCodes.Status201Created)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithSummary("Issue a certificate (registration authorities only); 201 once it and its audit entry are committed.");

        api.MapPost("/certificates/{serial}/revocation", async (string serial, HttpContext http, CancellationToken cancellationToken) =>
        {
            var actor = RegistrationAuthorityChecks.ActorOf(http);

            if (!SerialNumbers.TryNormalize(serial, out var normalized))
            {
                return BadInput("The serial is not hexadecimal.");
            }

            var (body, error) = await ReadJsonAsync<AuthorityApiJson.RevokeBody>(http.Request, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            var reasonName = body!.Reason ?? "unspecified";
            if (!Reasons.TryGetValue(reasonName, out var reason))
            {
                return BadInput("reason is one of " + string.Join(", ", Reasons.Keys) + ".");
            }

            RevokeResult result;
            try
            {
                result = await runtime.Authority.RevokeAsync(normalized, reason, body.RevokedAt, actor, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                // A revocation dated in the future (or before the certificate existed) is refused, never stored (issue 12).
                return BadInput(FirstSentence(ex.Message), "bad-revocation-time", "revokedAt");
            }

            if (result == RevokeResult.NotFound)
            {
                return UnknownCertificate();
            }

            var record = await runtime.Authority.Registry.FindBySerialAsync(normalized, cancellationToken).ConfigureAwait(false);
            var revocation = record!.Revocation!;
            return Results.Ok(new AuthorityApiJson.RevocationView(
                record.SerialHex,
                result == RevokeResult.Revoked ? "revoked" : "already-revoked",
                revocation.RevokedAt,
                ReasonName(revocation.Reason)));
        })
        .Accepts<AuthorityApiJson.RevokeBody>("application/json")
        .Produces<AuthorityApiJson.RevocationView>()
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
                return BadInput("Give holderId (at most 128 characters).");
            }

            var records = await runtime.Authority.Registry.FindByHolderAsync(holderId, cancellationToken).ConfigureAwait(false);
            return Results.Ok(records.Select(View).ToList());
        })
        .Produces<List<AuthorityApiJson.CertificateView>>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .WithSummary("A holder's certificates, oldest first, revoked ones included (registration authorities only).");

        api.MapGet("/certificates/{serial}", async (string serial, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (!SerialNumbers.TryNormalize(serial, out var normalized))
            {
                return BadInput("The serial is not hexadecimal.");
            }

            var record = await runtime.Authority.Registry.FindBySerialAsync(normalized, cancellationToken).ConfigureAwait(false);
            return record is null ? UnknownCertificate() : Results.Ok(View(record));
        })
        .Produces<AuthorityApiJson.CertificateView>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("A certificate's registry record and status (registration authorities only).");

        return endpoints;
    }

    private static IssueRequest? ToRequest(AuthorityApiJson.IssueBody body, string actor, out string? problem)
    {
        problem = null;
        CertificateKind kind;
        switch (body.Kind)
        {
            case "sign":
                kind = CertificateKind.Signature;
                break;
            case "auth":
                kind = CertificateKind.Authentication;
                break;
            default:
                problem = "kind is sign or auth.";
                return null;
        }

        if (string.IsNullOrWhiteSpace(body.CardId) || string.IsNullOrWhiteSpace(body.HolderId))
        {
            problem = "cardId and holderId are required.";
            return null;
        }

        byte[] spki;
        try
        {
            spki = Convert.FromBase64String(body.SubjectPublicKeyInfo ?? "");
        }
        catch (FormatException)
        {
            problem = "subjectPublicKeyInfo is the holder's public key, DER SubjectPublicKeyInfo in base64.";
            return null;
        }

        if (spki.Length == 0)
        {
            problem = "subjectPublicKeyInfo is required (DER SubjectPublicKeyInfo in base64).";
            return null;
        }

        if (!TryDate(body.ExpiryDate, out var expiry))
        {
            problem = "expiryDate is required, YYYY-MM-DD.";
            return null;
        }

        if (body.PreviousSerial is not null && !SerialNumbers.TryNormalize(body.PreviousSerial, out _))
        {
            problem = "previousSerial is not hexadecimal.";
            return null;
        }

        SignatureSubject? signature = null;
        if (kind == CertificateKind.Signature)
        {
            if (ToSignature(body.Signature, out problem) is not { } subject)
            {
                return null;
            }

            signature = subject;
        }

        return new IssueRequest(kind, spki, body.CardId, body.HolderId, expiry, signature, body.PreviousSerial, actor);
    }

    private static SignatureSubject? ToSignature(AuthorityApiJson.SignatureBody? body, out string? problem)
    {
        problem = null;
        if (body is null || string.IsNullOrWhiteSpace(body.Prefecture) || string.IsNullOrWhiteSpace(body.Municipality)
            || string.IsNullOrWhiteSpace(body.Name) || string.IsNullOrWhiteSpace(body.Address))
        {
            problem = "A signature certificate needs signature.prefecture, municipality, name, address, dateOfBirth and sex.";
            return null;
        }

        if (!TryDate(body.DateOfBirth, out var birth))
        {
            problem = "signature.dateOfBirth is required, YYYY-MM-DD.";
            return null;
        }

        if (body.Sex is not (1 or 2 or 9))
        {
            problem = "signature.sex is 1 (male), 2 (female) or 9 (not applicable).";
            return null;
        }

        var nameFlags = body.NameSubstitutionFlags ?? SignatureSubject.NoSubstitution(body.Name);
        var addressFlags = body.AddressSubstitutionFlags ?? SignatureSubject.NoSubstitution(body.Address);

        return new SignatureSubject(body.Prefecture, body.Municipality, body.Name, nameFlags, body.Address, addressFlags, birth, (Sex)body.Sex.Value);
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem("Send the request as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
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
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json);
            return value is null ? (null, BadInput("The body is not a JSON object.")) : (value, null);
        }
        catch (JsonException)
        {
            return (null, BadInput("The body is not valid JSON of the expected shape."));
        }
    }

    private static AuthorityApiJson.CertificateView View(CertificateRecord record) => new(
        record.SerialHex,
        IssuingCa.SlugOf(record.Kind),
        record.CardId,
        record.HolderId,
        record.NotBefore,
        record.NotAfter,
        record.IssuedAt,
        record.PreviousSerialHex,
        record.Revocation is null ? "good" : "revoked",
        record.Revocation?.RevokedAt,
        record.Revocation is { } r ? ReasonName(r.Reason) : null,
        Convert.ToBase64String(record.Der.Span));

    private static string ReasonName(RevocationReason reason) => Reasons.First(p => p.Value == reason).Key;

    private static string FirstSentence(string message)
    {
        // ArgumentException appends " (Parameter 'x')": the client needs the sentence only.
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    private static IResult BadInput(string detail, string? code = null, string? field = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (code is not null)
        {
            extensions["code"] = code;
        }

        if (field is not null)
        {
            extensions["field"] = field;
        }

        return Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request", extensions: extensions);
    }

    private static IResult TooLarge() =>
        Results.Problem($"The body is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");

    private static IResult UnknownCertificate() =>
        Results.Problem("No certificate with this serial was issued here.", statusCode: StatusCodes.Status404NotFound, title: "Unknown certificate");
}
