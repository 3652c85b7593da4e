using Jpki.Authority.Contracts;
using System.Buffers;
using Jpki.Authority.Ca;
using Jpki.Authority.Ocsp;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server;

/// <summary>
/// The authority's publication points: <c>/ca/{sign,auth}.cer</c>, <c>/crl/{sign,auth}.crl</c> and <c>/ocsp</c> (RFC 6960
/// POST and GET). Signature-CA revocation data needs a registered verifier key (header <c>X-Jpki-Verifier-Key</c> or
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
                : Results.NotFound());

        endpoints.MapGet("/crl/{kind}.crl", async (string kind, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (ParseKind(kind) is not { } k)
            {
                return Results.NotFound();
            }

            if (k == CertificateKind.Signature && VerifierChecks.Check(runtime.Access, http) is var check && check != VerifierCheck.Allowed)
            {
                return VerifierChecks.Deny(check, http, "Signature-certificate revocation data");
            }

            var crl = await runtime.Crls.GetCurrentAsync(k, cancellationToken).ConfigureAwait(false);
            return Results.File(crl.Path, "application/pkix-crl", fileDownloadName: null, lastModified: crl.Document.ThisUpdate);
        });

        endpoints.MapPost("/ocsp", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            var body = await ReadBodyAsync(http.Request, cancellationToken).ConfigureAwait(false);
            var answer = body is null
                ? await runtime.Ocsp.RespondAsync(ReadOnlyMemory<byte>.Empty, false, cancellationToken).ConfigureAwait(false)
                : await runtime.Ocsp.RespondAsync(body, Authorised(runtime.Access, http), cancellationToken).ConfigureAwait(false);
            return Results.Bytes(answer.Der, OcspResponseType);
        }).WithMetadata(new Errors.BodyLimit(MaxOcspRequestBytes));

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
            return Results.Bytes(answer.Der, OcspResponseType);
        });

        endpoints.MapGet("/linkage/{serial}", async (string serial, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (VerifierChecks.Check(runtime.Access, http) is var check && check != VerifierCheck.Allowed)
            {
                return VerifierChecks.Deny(check, http, "Certificate linkage");
            }

            if (!SerialNumbers.TryNormalize(serial, out _))
            {
                return Results.Problem("The serial is not hexadecimal.", statusCode: StatusCodes.Status400BadRequest, title: "Bad serial");
            }

            var linkage = await runtime.Authority.LinkageAsync(serial, cancellationToken).ConfigureAwait(false);
            if (linkage is null)
            {
                return Results.Problem("No certificate with this serial was issued here.", statusCode: StatusCodes.Status404NotFound, title: "Unknown certificate");
            }

            var record = await runtime.Authority.Registry.FindBySerialAsync(linkage.SerialHex, cancellationToken).ConfigureAwait(false);
            return Results.Json(LinkageAnswer.From(linkage, record!), LinkageAnswerContext.Default.LinkageAnswer);
        });

        return endpoints;
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
