using System.Net;
using System.Text.RegularExpressions;
using Jpki.Server.Tests.Browser;
using Jpki.Server.Tests.Counter;
using Microsoft.Playwright;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// The HTML pages' Content-Security-Policy (issue 12, "no CSP"): scripts and styles only from this server's own files,
/// connections only to this server and the citizen's local helper, forms only to this server. Every page is walked for
/// inline code the policy would refuse; Chromium — the judge — applies the style sheets, runs the print button, and refuses a
/// script injected into a staff page.
/// </summary>
[Trait("Category", "Security")]
[Collection(BrowserCollection.Name)]
public sealed partial class ContentSecurityPolicyTests(Chromium chromium) : IAsyncLifetime
{
    private readonly CounterServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task HtmlPages_CarryTheStrictPolicy_AndNoInlineCode()
    {
        await _server.AddResidentWithCardAsync("P01");
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        using var clerk = await _server.ClientAsync();
        using var supervisor = await _server.ClientAsync("super1");
        var pages = new (HttpClient Client, string Path)[]
        {
            (anonymous, "/"), (anonymous, "/staff/login"), (anonymous, "/e-application/"), (anonymous, "/e-application/new?kind=juminhyo"),
            (clerk.Http, "/counter"), (clerk.Http, "/counter/residents/P01"), (clerk.Http, "/counter/residents/P01/issue"),
            (clerk.Http, "/counter/proxy"), (clerk.Http, "/counter/report"), (clerk.Http, "/staff/password"), (supervisor.Http, "/staff/accounts"),
        };
        var failures = new List<string>();
        foreach (var (client, path) in pages)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            var policy = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(", ", values) : string.Empty;
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                failures.Add($"{path}: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
                continue;
            }

            foreach (var needed in new[] { "default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'" })
            {
                if (!policy.Split(';').Select(d => d.Trim()).Any(d => d.StartsWith(needed, StringComparison.Ordinal)))
                {
                    failures.Add($"{path}: the policy lacks {needed} ({policy})");
                }
            }

            if (policy.Contains("unsafe-", StringComparison.Ordinal))
            {
                failures.Add($"{path}: the policy allows unsafe code ({policy})");
            }

            failures.AddRange(InlineCode().Matches(html).Select(m => $"{path}: inline code the policy refuses: {m.Value}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Chromium_AppliesOurFiles_RefusesAnInjectedScript()
    {
        const string Test = nameof(Chromium_AppliesOurFiles_RefusesAnInjectedScript);
        var page = await chromium.NewPageAsync();
        await StaffPage.LoginAsync(page, _server, "/staff/login");
        await page.GotoAsync(_server.BaseAddress + "counter");
        await StaffPage.ShotAsync(page, Test, 1, "search");

        // The staff style sheet is a file now, and it is applied (the header's colour comes only from it).
        Assert.Equal("rgb(29, 61, 107)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header')).backgroundColor"));

        // A script that gets into the page the way an XSS would — inline — does not run, and Chromium says why.
        await Assert.ThrowsAsync<PlaywrightException>(() => page.AddScriptTagAsync(new() { Content = "window.injected = 1;" }));
        Assert.True(await page.EvaluateAsync<bool>("() => window.injected === undefined"));
        Assert.Contains(Chromium.CspViolations(page), v => v.Contains("script-src", StringComparison.Ordinal));

        // The e-application pages: their style sheet applies, nothing of ours refused.
        var citizen = await chromium.NewPageAsync();
        await citizen.GotoAsync(_server.BaseAddress + "e-application/new?kind=juminhyo");
        Assert.Equal("rgb(29, 78, 137)", await citizen.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header a')).color"));
        Assert.Empty(Chromium.CspViolations(citizen));
        await page.Context.CloseAsync();
        await citizen.Context.CloseAsync();
    }

    /// <summary>An inline script (no src), a style element or attribute, an inline event handler, a javascript: URL.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|<style\b|<[^>]+\sstyle\s*=|<[^>]+\son[a-z]+\s*=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();
}
