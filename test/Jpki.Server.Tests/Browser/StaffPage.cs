using System.Text.RegularExpressions;
using Jpki.Server.Tests.Counter;
using Microsoft.Playwright;

namespace Jpki.Server.Tests.Browser;

/// <summary>What the browser tests of the staff pages share: signing in, screenshots, and the check that a page is in Japanese.</summary>
internal static partial class StaffPage
{
    /// <summary>Latin words a staff page may show: product and format names, not English sentences.</summary>
    private static readonly HashSet<string> AllowedWords = new(StringComparer.Ordinal)
    {
        "OpenJpki", "CSV", "PDF", "UTF", "Shift_JIS", "CP932", "Windows", "LF", "CRLF", "MB", "Unicode", "JPKI_COUNTER_ALWAYS_OPEN", "counter", "json",
        "jpkicard", "id", "name", "name_kana", "address", "date_of_birth", "sex", "under_guardianship", "household_id", "YYYY", "MM", "DD",
    };

    public static async Task LoginAsync(IPage page, CounterServer server, string path, string id = "clerk1")
    {
        await page.GotoAsync(server.BaseAddress + path.TrimStart('/'));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "職員ログイン" })).ToBeVisibleAsync();
        await page.GetByLabel("ログインID").FillAsync(id);
        await page.GetByLabel("パスワード").FillAsync(id == "super1" ? CounterServer.SupervisorPassword : CounterServer.ClerkPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン" }).ClickAsync();
        await Assertions.Expect(page.GetByText(id == "super1" ? "監督　太郎" : "窓口　花子")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Saves the screenshot and checks the page reads Japanese (no English word outside code, ids and data) and that Chromium
    /// refused nothing of ours under the pages' Content-Security-Policy (no inline script, style or handler).
    /// </summary>
    public static async Task ShotAsync(IPage page, string test, int step, string name)
    {
        await Chromium.ScreenshotAsync(page, test, step, name);
        var text = await page.EvaluateAsync<string>("() => { const b = document.body.cloneNode(true); b.querySelectorAll('code, input, select, option').forEach(e => e.remove()); return b.innerText; }");
        var english = Words().Matches(text).Select(m => m.Value).Where(w => !AllowedWords.Contains(w)).Distinct().ToList();
        Assert.True(english.Count == 0, $"{test} step {step} ({name}) shows English: {string.Join(", ", english)}");
        var refused = Chromium.CspViolations(page);
        Assert.True(refused.Count == 0, $"{test} step {step} ({name}): Chromium refused under the CSP: {string.Join(" | ", refused)}");
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_.-])[A-Za-z][A-Za-z_]{2,}(?![A-Za-z0-9_])")]
    private static partial Regex Words();
}
