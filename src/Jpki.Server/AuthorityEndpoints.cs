using Jpki.Authority.Contracts;
using System.Buffers;
using System.Globalization;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Jpki.Server;

/// <summary>
/// The authority's publication points: <c>/ca/{sign,auth}.cer</c>; the CRLs — full <c>/crl/{sign,auth}.crl</c>, partitions
/// <c>/crl/{sign,auth}/{yyyymm}.crl</c> and their deltas (<c>-delta.crl</c>), served from what the publisher published;
/// and <c>/ocsp</c> (RFC 6960 POST, RFC 5019 GET with HTTP caching headers). Signature-CA revocation data needs a registered verifier key (header <c>X-Jpki-Verifier-Key</c> or
/// <c>Authorization: Bearer</c>) or a registered TLS client certificate, unless the deployment opened it (JPKI-REFERENCE
/// §8.2). <c>GET /linkage/{serial}</c> answers the renewal chain and the sign ↔ auth link of a certificate to the same
/// verifiers (§8.3).
/// </summary>
internal static class AuthorityEndpoints
{
    private const int MaxOcspRequestBytes = 16 * 1024;
    private const string OcspResponseType = "application/ocsp-response";

    public static IEndpointRouteBuilder MapAuthority(this IEndpointRouteBuilder endpoints, AuthorityRuntime runtime)
    {
        endpoints.MapGet("/ca/{kind}.cer", (string kind) =>
            ParseKind(kind) is { } k
                ? Results.Bytes(runtime.Authority.CaOf(k).CertificateDer, "application/pkix-cert")
                : NoSuchFile());

        endpoints.MapGet("/crl/{kind}.crl", (string kind, HttpContext http, CancellationToken cancellationToken) =>
        {
            var delta = kind.EndsWith("-delta", StringComparison.Ordinal);
            return ServeCrlAsync(runtime, http, delta ? kind[..^6] : kind, 0, delta, cancellationToken);
        });

        endpoints.MapGet("/crl/{kind}/{partition}.crl", (string kind, string partition, HttpContext http, CancellationToken cancellationToken) =>
        {
            var delta = partition.EndsWith("-delta", StringComparison.Ordinal);
            var id = delta ? partition[..^6] : partition;
            return id.Length == 6 && id.All(char.IsAsciiDigit) && int.Parse(id, CultureInfo.InvariantCulture) is var number && CrlPartitions.IsValid(number)
                ? ServeCrlAsync(runtime, http, kind, number, delta, cancellationToken)
                : Task.FromResult(NoSuchFile());
        });

        // OCSP is the hot path (every relying party, every signature check): its endpoints run straight from routing
        // (ShortCircuit), past the middleware meant for pages and JSON APIs (authentication and OpenIddict's request
        // handler, form checks, problem pages) — half the CPU of a pre-signed answer went there. Routing is placed after
        // the forwarded headers, host filtering, response headers and the dependency-failure answer (JpkiServerHost), so
        // those still apply. What else applies to OCSP is done here: the body limit (413 request-too-large, as everywhere)
        // and the client-certificate check.
        endpoints.MapPost("/ocsp", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            byte[]? body;
            try
            {
                body = await ReadBodyAsync(http.Request, cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // Kestrel enforces the endpoint's BodyLimit on a chunked body as it arrives.
                body = null;
            }

            if (body is null)
            {
                return Errors.BadRequestHandling.TooLarge(MaxOcspRequestBytes);
            }

            var answer = await runtime.Ocsp.RespondAsync(body, Authorised(runtime.Access, http), cancellationToken).ConfigureAwait(false);
            return Results.Bytes(answer.Der, OcspResponseType);
        }).WithMetadata(new Errors.BodyLimit(MaxOcspRequestBytes)).ShortCircuit();

        endpoints.MapGet("/ocsp/{**request}", async (string request, HttpContext http, CancellationToken cancellationToken) =>
        {
            byte[] der;
            try
            {
                der = Convert.FromBase64String(Uri.UnescapeDataString(request));
            }
            catch (FormatException)
            {
                der = [];
            }

            var answer = await runtime.Ocsp.RespondAsync(der, Authorised(runtime.Access, http), cancellationToken).ConfigureAwait(false);
            return OcspGet(http, answer, runtime.Authority.Clock.GetUtcNow());
        }).ShortCircuit();

        endpoints.MapGet("/linkage/{serial}", async (string serial, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (VerifierChecks.Check(runtime.Access, http) is var check && check != VerifierCheck.Allowed)
            {
                return VerifierChecks.Deny(check, http, "Certificate linkage");
            }

            if (!SerialNumbers.TryNormalize(serial, out _))
            {
                return Errors.Problems.Of(StatusCodes.Status400BadRequest, "bad-serial", "The serial is not hexadecimal.");
            }

            var linkage = await runtime.Authority.LinkageAsync(serial, cancellationToken).ConfigureAwait(false);
            if (linkage is null)
            {
                return Errors.Problems.Of(StatusCodes.Status404NotFound, "unknown-certificate", "No certificate with this serial was issued here.");
            }

            var record = await runtime.Authority.Registry.FindBySerialAsync(linkage.SerialHex, cancellationToken).ConfigureAwait(false);
            return Results.Json(LinkageAnswer.From(linkage, record!), LinkageAnswerContext.Default.LinkageAnswer);
        });

        return endpoints;
    }

    /// <summary>
    /// Serves a published CRL from its file, with the HTTP validators (strong ETag = SHA-256, Last-Modified = thisUpdate)
    /// so conditional requests get 304, and a short shared-cache lifetime so a CDN never holds a CRL much longer than the
    /// publisher takes to show a revocation. Never builds one: nothing valid published → the publisher's failure (503/507).
    /// </summary>
    private static IResult NoSuchFile() =>
        Errors.Problems.Of(StatusCodes.Status404NotFound, "not-found", "No such file: the kind is sign or auth, a CRL partition is six digits of a published partition.");

    private static async Task<IResult> ServeCrlAsync(AuthorityRuntime runtime, HttpContext http, string kindName, int partition, bool delta, CancellationToken cancellationToken)
    {
        if (ParseKind(kindName) is not { } kind)
        {
            return NoSuchFile();
        }

        if (kind == CertificateKind.Signature && VerifierChecks.Check(runtime.Access, http) is var check && check != VerifierCheck.Allowed)
        {
            return VerifierChecks.Deny(check, http, "Signature-certificate revocation data");
        }

        var crl = await runtime.Crls.FindAsync(kind, partition, delta, cancellationToken).ConfigureAwait(false);
        var now = runtime.Authority.Clock.GetUtcNow();
        if (crl is null)
        {
            if (partition != 0 || await runtime.Crls.FindAsync(kind, 0, delta: false, cancellationToken).ConfigureAwait(false) is not null
                || (await runtime.Crls.FindAsync(kind, 0, delta: !delta, cancellationToken).ConfigureAwait(false)) is not null)
            {
                // Something of this CA is published, just not this scope.
                return NoSuchFile();
            }

            throw NotPublished(runtime, kind);
        }

        if (now > crl.Document.NextUpdate)
        {
            // Past its nextUpdate no verifier accepts it: say why there is no newer one.
            throw NotPublished(runtime, kind);
        }

        http.Response.Headers.CacheControl = delta ? "public, max-age=30, no-transform" : "public, max-age=60, no-transform";
        return Results.File(
            crl.Path,
            "application/pkix-crl",
            fileDownloadName: null,
            lastModified: crl.Document.ThisUpdate,
            entityTag: new EntityTagHeaderValue("\"" + Convert.ToHexString(crl.Sha256.Span) + "\""));
    }

    private static Exception NotPublished(AuthorityRuntime runtime, CertificateKind kind) => runtime.Crls.LastFailure is { } failure
        ? new CrlNotPublishedException($"No valid {IssuingCa.SlugOf(kind)} CRL is published: {failure.Message}", failure)
        : new CrlNotPublishedException($"No {IssuingCa.SlugOf(kind)} CRL is published yet.");

    /// <summary>
    /// An OCSP answer to a GET (RFC 5019 §5): a cacheable answer carries Last-Modified (thisUpdate), Expires
    /// (nextUpdate), a strong ETag and <c>Cache-Control: max-age</c> up to when the responder signs a newer one, and a
    /// matching If-None-Match gets 304; any other answer says no-cache.
    /// </summary>
    private static IResult OcspGet(HttpContext http, OcspAnswer answer, DateTimeOffset now)
    {
        var headers = http.Response.Headers;
        if (answer.ETag is not { } etag || answer.ThisUpdate is not { } thisUpdate || answer.NextUpdate is not { } nextUpdate)
        {
            headers.CacheControl = "no-cache";
            return Results.Bytes(answer.Der, OcspResponseType);
        }

        var quoted = "\"" + etag + "\"";
        var maxAge = (long)Math.Max(0, ((answer.RefreshAt ?? nextUpdate) - now).TotalSeconds);
        headers.ETag = quoted;
        headers.LastModified = thisUpdate.ToString("R", CultureInfo.InvariantCulture);
        headers.Expires = nextUpdate.ToString("R", CultureInfo.InvariantCulture);
        headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"max-age={maxAge}, public, no-transform, must-revalidate");
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == quoted || t.Trim() == "*")))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(answer.Der, OcspResponseType);
    }

    private static CertificateKind? ParseKind(string kind) => WireNames.TryParseKind(kind, out var parsed) ? parsed : null;

    private static bool Authorised(VerifierAccess access, HttpContext http) => VerifierChecks.Check(access, http) == VerifierCheck.Allowed;

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxOcspRequestBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxOcspRequestBytes + 1);
        try
        {
            var total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(total, MaxOcspRequestBytes + 1 - total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > MaxOcspRequestBytes)
                {
                    return null;
                }
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
