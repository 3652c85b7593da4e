using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jpki.Server.Tests.Counter;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Tests.Robustness;

/// <summary>
/// Nobody gets in: every operation of <c>/openapi/v1.json</c>, and every route the application maps (its
/// <see cref="EndpointDataSource"/>, which also holds the HTML pages excluded from the description), is tried without
/// credentials, with a clerk's session where a supervisor is needed, and with a wrong key where a key is needed. Each must
/// answer 401/403 (or send a page to the sign-in) and nothing may be stored. Endpoints that are public on purpose are
/// listed in <see cref="Public"/> with the reason, so an endpoint added without authorization makes these tests fail.
/// </summary>
public sealed partial class AuthorizationWalkTests(ClosedAuthorityServer server) : IClassFixture<ClosedAuthorityServer>
{
    /// <summary>"METHOD route-template" → why anyone may call it.</summary>
    private static readonly Dictionary<string, string> Public = new(StringComparer.Ordinal)
    {
        ["GET /"] = "the home page: links only",
        ["GET /healthz"] = "liveness probe for the operator's monitoring, no data",
        ["GET /openapi/{documentName}.json"] = "the API description itself",
        ["GET /ca/{kind}.cer"] = "CA certificates are published to everyone (relying parties build paths with them)",
        ["POST /ocsp"] = "OCSP is public; for signature certificates an unregistered caller gets the OCSP status 'unauthorized' inside the answer",
        ["GET /ocsp/{request}"] = "as POST /ocsp (RFC 6960 GET form)",
        ["POST /tsa"] = "RFC 3161 time-stamping for anyone's signatures (e-Gov long-term formats); a token reveals only the imprint it was asked for",
        ["GET /tsa/tsa-root.cer"] = "the TSA's trust anchor is published to everyone (verifiers of time-stamps need it)",
        ["GET /tsa/tsa.cer"] = "the TSA unit certificate is published to everyone (verifiers of time-stamps need it)",
        ["GET /api/counter/csrf"] = "the CSRF token a terminal needs before it can sign in",
        ["POST /api/counter/session"] = "sign-in: wrong or no credentials are 401, lockout after 5",
        ["DELETE /api/counter/session"] = "sign-out of the caller's own session (nothing without one)",
        ["GET /staff/login"] = "the sign-in page",
        ["POST /staff/login"] = "the sign-in form",
        ["POST /staff/logout"] = "sign-out of the caller's own session",
        ["GET /staff/denied"] = "the 'supervisor needed' page, no data",
        ["GET /e-application"] = "citizens' online application: the signature on the request is the credential",
        ["GET /e-application/new"] = "citizens' online application form",
        ["POST /e-application/prepare"] = "citizens' online application: builds the document to sign, stores nothing",
        ["POST /e-application/submit"] = "citizens' online application: accepted only with a valid JPKI signature",
        ["GET /assets/staff.css"] = "the staff pages' style sheet (a file, since their Content-Security-Policy allows no inline style)",
        ["GET /assets/home.css"] = "the home page's style sheet",
        ["GET /assets/print.js"] = "the print button's script (no inline handlers under the pages' Content-Security-Policy)",
        ["GET /e-application/assets/style.css"] = "the citizens' pages' style sheet",
        ["GET /e-application/assets/sign.js"] = "the signing page's script (talks to the citizen's local helper)",
    };

    /// <summary>Operations a clerk must be refused (supervisor role).</summary>
    private static readonly HashSet<string> SupervisorOnly = new(StringComparer.Ordinal)
    {
        "POST /api/counter/reports/daily/close",
        "GET /staff/accounts",
        "POST /staff/accounts",
        "POST /staff/accounts/{id}/disable",
        "POST /staff/accounts/{id}/enable",
    };

    /// <summary>Operations for registered verifiers only (key header, bearer token or client certificate).</summary>
    private static readonly HashSet<string> VerifierOnly = new(StringComparer.Ordinal)
    {
        "GET /crl/{kind}.crl",
        "GET /crl/{kind}/{partition}.crl",
        "GET /linkage/{serial}",
    };

    /// <summary>Plausible values for route parameters (kind "sign": the CRL that needs a verifier).</summary>
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["id"] = "RB1", ["kind"] = "sign", ["serial"] = "01", ["reference"] = "0000-0000-0000-0000", ["receipt"] = "R0000",
        ["documentName"] = "v1", ["request"] = "MAA=", ["rest"] = "x", ["partition"] = "203101",
    };

    [Fact]
    public async Task OpenApi_EveryOperation_RefusesNoCredentialsWrongRoleAndWrongKey()
    {
        using var anonymous = await server.ClientAsync(id: null);
        using var clerk = await server.ClientAsync("clerk1");
        var document = await anonymous.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemes = document.TryGetProperty("components", out var components) && components.TryGetProperty("securitySchemes", out var s) ? s : default;
        var operations = new List<(string Method, string Template, JsonElement Operation)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations.Add((operation.Name.ToUpperInvariant(), path.Name, operation.Value));
            }
        }

        Assert.True(operations.Count >= 25, $"the walk found only {operations.Count} operations in /openapi/v1.json");
        Assert.Contains(operations, o => o.Template == "/api/counter/issue");
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        var failures = new List<string>();
        foreach (var (method, template, operation) in operations)
        {
            var key = $"{method} {template}";
            var type = operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content) && content.EnumerateObject().FirstOrDefault() is { Name.Length: > 0 } first
                ? first.Name
                : "application/json";
            if (!Public.ContainsKey(key))
            {
                await ExpectRefusedAsync(anonymous, method, template, key + " without credentials", failures, toSignIn: false, type);
            }

            if (SupervisorOnly.Contains(key))
            {
                await ExpectRefusedAsync(clerk, method, template, key + " as a clerk", failures, toSignIn: false, type);
            }

            foreach (var (header, value) in WrongKeys(operation, schemes).Concat(VerifierOnly.Contains(key) ? VerifierWrongKeys : []))
            {
                using var wrongKey = await server.ClientAsync(id: null);
                wrongKey.Http.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
                await ExpectRefusedAsync(wrongKey, method, template, $"{key} with a wrong {header}", failures, toSignIn: false, type);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    [Fact]
    public async Task Routes_EveryMappedEndpoint_RefusesNoCredentialsAndWrongRole()
    {
        var routes = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Template: Normalise(e.RoutePattern.RawText ?? "/"), Type: e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json")))
            .Distinct().OrderBy(r => r.Template, StringComparer.Ordinal).ToList();
        var listed = routes.Select(r => $"{r.Method} {r.Template}").ToHashSet(StringComparer.Ordinal);
        Assert.True(routes.Count >= 45, $"the walk found only {routes.Count} routes: {string.Join(", ", listed)}");
        foreach (var page in new[] { "GET /counter", "GET /staff/accounts", "GET /e-application/staff" })
        {
            Assert.True(listed.Contains(page), $"{page} not among {string.Join(", ", listed)}");
        }

        using var anonymous = await server.ClientAsync(id: null);
        using var clerk = await server.ClientAsync("clerk1");
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        var failures = new List<string>();
        foreach (var (method, template, type) in routes)
        {
            var key = $"{method} {template}";
            if (!Public.ContainsKey(key))
            {
                await ExpectRefusedAsync(anonymous, method, template, key + " without credentials", failures, toSignIn: true, type);
            }

            if (SupervisorOnly.Contains(key))
            {
                await ExpectRefusedAsync(clerk, method, template, key + " as a clerk", failures, toSignIn: false, type);
            }
        }

        failures.AddRange(Public.Keys.Concat(SupervisorOnly).Concat(VerifierOnly).Where(k => !listed.Contains(k)).Select(k => $"{k} is listed in the test but no longer mapped: update the list"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    [Fact]
    public async Task VerifierEndpoints_RightKey_Served()
    {
        // The wrong-key refusals above mean something only if the right key is let in.
        using var verifier = await server.ClientAsync(id: null);
        verifier.Http.DefaultRequestHeaders.Add("X-Jpki-Verifier-Key", ClosedAuthorityServer.VerifierKey);

        using var crl = await verifier.Http.GetAsync(new Uri("/crl/sign.crl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, crl.StatusCode);
    }

    [Fact]
    public async Task Walk_AnEndpointWithoutAuthorization_IsCaught()
    {
        // The walk itself must be able to fail: the public CA certificate answers 200 to anyone.
        using var anonymous = await server.ClientAsync(id: null);
        var failures = new List<string>();

        await ExpectRefusedAsync(anonymous, "GET", "/ca/{kind}.cer", "GET /ca/{kind}.cer", failures, toSignIn: true);

        Assert.Single(failures);
    }

    private static readonly (string Header, string Value)[] VerifierWrongKeys =
    [
        ("X-Jpki-Verifier-Key", "not-a-registered-key"),
        ("Authorization", "Bearer not-a-registered-key"),
    ];

    /// <summary>A wrong credential for every API-key or bearer scheme the operation (or the document) declares.</summary>
    private static IEnumerable<(string Header, string Value)> WrongKeys(JsonElement operation, JsonElement schemes)
    {
        if (schemes.ValueKind != JsonValueKind.Object || !operation.TryGetProperty("security", out var security))
        {
            yield break;
        }

        foreach (var requirement in security.EnumerateArray())
        {
            foreach (var name in requirement.EnumerateObject())
            {
                if (!schemes.TryGetProperty(name.Name, out var scheme))
                {
                    continue;
                }

                var type = scheme.GetProperty("type").GetString();
                if (type == "apiKey" && scheme.GetProperty("in").GetString() == "header")
                {
                    yield return (scheme.GetProperty("name").GetString()!, "not-a-registered-key");
                }
                else if (type == "http")
                {
                    yield return ("Authorization", "Bearer not-a-registered-key");
                }
            }
        }
    }

    private static async Task ExpectRefusedAsync(CounterServer.StaffClient client, string method, string template, string what, List<string> failures, bool toSignIn, string contentType = "application/json")
    {
        var path = ParameterPattern().Replace(template, m => Values.GetValueOrDefault(m.Groups[1].Value, "x"));
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is not ("GET" or "DELETE" or "HEAD"))
        {
            // A body of the declared type (a wrong type would be refused with 415 by routing, before authorization).
            request.Content = new StringContent(contentType == "application/json" ? "{}" : string.Empty, Encoding.UTF8, contentType);
        }

        using var response = await client.Http.SendAsync(request);
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.ToString() ?? string.Empty;
        var refused = status is 401 or 403
            || (!path.StartsWith("/api/", StringComparison.Ordinal) && status == 302
                && (location.Contains("/staff/login", StringComparison.Ordinal) || location.Contains("/staff/denied", StringComparison.Ordinal)));
        if (!refused)
        {
            failures.Add($"{what}: {status} {location} (expected 401/403{(toSignIn ? " or a redirect to /staff/login" : string.Empty)}; if it is public on purpose, add it to Public with the reason)");
        }
    }

    /// <summary>A route template as the OpenAPI document writes it: catch-all stars, constraints and defaults and a trailing slash dropped.</summary>
    private static string Normalise(string raw)
    {
        var template = ConstraintPattern().Replace(raw, m => "{" + m.Groups[1].Value.TrimStart('*') + "}");
        template = template.StartsWith('/') ? template : "/" + template;
        return template.Length > 1 ? template.TrimEnd('/') : template;
    }

    [GeneratedRegex(@"\{\**([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"\{(\**[A-Za-z0-9_]+)(?::[^}=?]*)?(?:=[^}]*)?\??\}")]
    private static partial Regex ConstraintPattern();
}
