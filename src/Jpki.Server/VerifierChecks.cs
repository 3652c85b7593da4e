using Jpki.Authority.Ocsp;
using Microsoft.AspNetCore.Http;

namespace Jpki.Server;

/// <summary>Reads a request's verifier credentials.</summary>
internal static class VerifierChecks
{
    public static VerifierCheck Check(VerifierAccess access, HttpContext http)
    {
        if (access.Open)
        {
            return VerifierCheck.Allowed;
        }

        var presented = false;
        var request = http.Request;
        if (request.Headers.TryGetValue(VerifierAccess.HeaderName, out var key))
        {
            presented = true;
            if (access.IsVerifier(key.ToString()))
            {
                return VerifierCheck.Allowed;
            }
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = true;
            if (access.IsVerifier(authorization["Bearer ".Length..].Trim()))
            {
                return VerifierCheck.Allowed;
            }
        }

        if (http.Connection.ClientCertificate is { } certificate)
        {
            presented = true;
            if (access.IsVerifier(certificate))
            {
                return VerifierCheck.Allowed;
            }
        }

        return presented ? VerifierCheck.Refused : VerifierCheck.NoCredential;
    }

    /// <summary>The problem answer for a request that is not allowed: 401 with a challenge, or 403.</summary>
    public static IResult Deny(VerifierCheck check, HttpContext http, string what)
    {
        if (check == VerifierCheck.NoCredential)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"jpki-verifiers\"";
            return Results.Problem(
                $"{what} is given to registered verifiers only: present your key in the X-Jpki-Verifier-Key header (or Authorization: Bearer), or a registered TLS client certificate.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Verifier credentials required",
                extensions: new Dictionary<string, object?> { ["code"] = "verifier-credentials-required" });
        }

        return Results.Problem(
            $"{what} is given to registered verifiers only, and the key or client certificate presented is not registered.",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not a registered verifier",
            extensions: new Dictionary<string, object?> { ["code"] = "verifier-not-registered" });
    }
}
