using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Tests.Robustness;

/// <summary>
/// One error shape (docs/errors.md): every mapped <c>/api</c> route, the verifier-only files and the online
/// application's posts are called with bad input — no credentials, a malformed body, route values that name nothing —
/// and every error answer must be RFC 9457 problem details whose <c>code</c> is listed in docs/errors.md.
/// </summary>
public sealed partial class AuthorizationWalkTests
{
    [Fact]
    public async Task Routes_EveryApiEndpoint_BadInput_OneProblemShapeWithADocumentedCode()
    {
        var documented = DocumentedCodes();
        Assert.True(documented.Count >= 80, $"docs/errors.md lists only {documented.Count} codes");
        var routes = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Template: Normalise(e.RoutePattern.RawText ?? "/"), Type: e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json")))
            .Where(r => r.Template.StartsWith("/api/", StringComparison.Ordinal) || r.Template.StartsWith("/crl/", StringComparison.Ordinal)
                || r.Template.StartsWith("/linkage/", StringComparison.Ordinal) || (r.Method == "POST" && r.Template.StartsWith("/e-application", StringComparison.Ordinal) && r.Template != "/e-application/submit"))
            .Distinct().OrderBy(r => r.Template, StringComparer.Ordinal).ToList();
        Assert.True(routes.Count >= 30, $"the walk found only {routes.Count} routes");

        using var anonymous = await server.ClientAsync(id: null);
        using var clerk = await server.ClientAsync("clerk1");
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        var failures = new List<string>();
        var checkedAnswers = 0;
        foreach (var (method, template, type) in routes)
        {
            var path = ParameterPattern().Replace(template, m => BadValues.GetValueOrDefault(m.Groups[1].Value, "nothing-here"));
            foreach (var (who, client) in new[] { ("anonymous", anonymous), ("clerk", clerk) })
            {
                if (who == "clerk" && method == "DELETE" && template == "/api/counter/session")
                {
                    continue; // would sign the walking clerk out
                }

                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
                var bodyTaken = method is not ("GET" or "DELETE" or "HEAD");
                if (bodyTaken)
                {
                    // Malformed for every type: unparsable JSON, a form that is JSON, a CSV without the header.
                    request.Content = new StringContent("{", Encoding.UTF8, type);
                }

                using var response = await client.Http.SendAsync(request);
                var status = (int)response.StatusCode;
                var what = $"{method} {path} as {who} → {status}";
                if (status < 400)
                {
                    if (bodyTaken && type == "application/json" && who == "clerk")
                    {
                        failures.Add($"{what}: a malformed JSON body was accepted");
                    }

                    continue;
                }

                checkedAnswers++;
                var text = await response.Content.ReadAsStringAsync();
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{what}: {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not application/problem+json: {Shorten(text)}");
                    continue;
                }

                var problem = JsonDocument.Parse(text).RootElement;
                var code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
                if (code is null || !documented.Contains(code))
                {
                    failures.Add($"{what}: code '{code}' is not listed in docs/errors.md: {Shorten(text)}");
                }

                if (!problem.TryGetProperty("type", out var t) || t.GetString() != "tag:openjpki.org,2026:problem:" + code)
                {
                    failures.Add($"{what}: type is not the code's tag URI: {Shorten(text)}");
                }

                if (!problem.TryGetProperty("status", out var s) || s.GetInt32() != status)
                {
                    failures.Add($"{what}: status member missing or not {status}: {Shorten(text)}");
                }

                foreach (var member in new[] { "title", "detail" })
                {
                    if (!problem.TryGetProperty(member, out var m) || string.IsNullOrWhiteSpace(m.GetString()))
                    {
                        failures.Add($"{what}: no {member}: {Shorten(text)}");
                    }
                }

                if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
                {
                    failures.Add($"{what}: a stack trace or exception name: {Shorten(text)}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedAnswers >= routes.Count, $"only {checkedAnswers} error answers for {routes.Count} routes");
        // Nothing stored but the journal's record of refused attempts (every refusal at the counter is journaled, on purpose).
        var changes = before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(changes, change => Assert.StartsWith("counter.db:journal:", change, StringComparison.Ordinal));
    }

    /// <summary>Route values that name nothing (or do not parse), so no call can act on real data.</summary>
    private static readonly Dictionary<string, string> BadValues = new(StringComparer.Ordinal)
    {
        ["id"] = "NOPE", ["serial"] = "zz", ["reference"] = "1234", ["kind"] = "nope", ["partition"] = "nope", ["job"] = "nope",
        ["cardId"] = "NOPE", ["receipt"] = "nope",
    };

    /// <summary>The codes of the table in docs/errors.md (rows starting <c>| `code` |</c>).</summary>
    private static HashSet<string> DocumentedCodes()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenJpki.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var text = File.ReadAllText(Path.Combine(directory.FullName, "docs", "errors.md"));
        return DocumentedCode().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedCode();
}
