using Jpki.Authority.Ca;
using Microsoft.AspNetCore.Http;

namespace Jpki.Server.AuthorityApi;

/// <summary>Reads a request's registration-authority credentials: the key header, <c>Authorization: Bearer</c>, or a TLS client certificate.</summary>
internal static class RegistrationAuthorityChecks
{
    private static readonly object ActorKey = new();

    /// <summary>
    /// The endpoint filter of the authority API: answers 401/403 for a client that is not a registered registration
    /// authority, else records its audit actor for <see cref="ActorOf"/> and runs the handler.
    /// </summary>
    public static async ValueTask<object?> FilterAsync(RegistrationAuthorityAccess access, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (check, actor) = Check(access, http);
        if (check != VerifierCheck.Allowed)
        {
            return Deny(check, http);
        }

        http.Items[ActorKey] = actor;
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The audit actor <see cref="FilterAsync"/> recorded for this request.</summary>
    public static string ActorOf(HttpContext http) =>
        http.Items[ActorKey] as string ?? throw new InvalidOperationException("The authority API's credential filter did not run for this request.");

    /// <summary>The outcome and, when allowed, the audit actor (never the key itself).</summary>
    public static (VerifierCheck Check, string? Actor) Check(RegistrationAuthorityAccess access, HttpContext http)
    {
        var presented = false;
        var request = http.Request;
        if (request.Headers.TryGetValue(RegistrationAuthorityAccess.HeaderName, out var header))
        {
            presented = true;
            var key = header.ToString();
            if (access.IsRegistrationAuthority(key))
            {
                return (VerifierCheck.Allowed, RegistrationAuthorityAccess.ActorOfKey(key));
            }
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = true;
            var key = authorization["Bearer ".Length..].Trim();
            if (access.IsRegistrationAuthority(key))
            {
                return (VerifierCheck.Allowed, RegistrationAuthorityAccess.ActorOfKey(key));
            }
        }

        if (http.Connection.ClientCertificate is { } certificate)
        {
            presented = true;
            if (access.IsRegistrationAuthority(certificate))
            {
                return (VerifierCheck.Allowed, RegistrationAuthorityAccess.ActorOfCertificate(certificate));
            }
        }

        return (presented ? VerifierCheck.Refused : VerifierCheck.NoCredential, null);
    }

    /// <summary>The problem answer for a request that is not allowed: 401 with a challenge, or 403.</summary>
    public static IResult Deny(VerifierCheck check, HttpContext http)
    {
        if (check == VerifierCheck.NoCredential)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"jpki-registration-authorities\"";
            return Results.Problem(
                $"The authority API is for registered registration authorities: present your key in the {RegistrationAuthorityAccess.HeaderName} header (or Authorization: Bearer), or a registered TLS client certificate.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Registration-authority credentials required",
                extensions: new Dictionary<string, object?> { ["code"] = "ra-credentials-required" });
        }

        return Results.Problem(
            "The key or client certificate presented is not a registered registration authority's.",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not a registered registration authority",
            extensions: new Dictionary<string, object?> { ["code"] = "ra-not-registered" });
    }
}
