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
        "admin", // the login id of the first supervisor, created by the server
        "PUK", // the next-generation card's unblocking key, named so in the Digital Agency's summary and on the holder's letter
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
        var english = await EnglishWordsAsync(page);
        Assert.True(english.Count == 0, $"{test} step {step} ({name}) shows English: {string.Join(", ", english)}");
        var refused = Chromium.CspViolations(page);
        Assert.True(refused.Count == 0, $"{test} step {step} ({name}): Chromium refused under the CSP: {string.Join(" | ", refused)}");
    }

    /// <summary>
    /// The English words a clerk can read on the page: its title, the visible text (without <c>code</c> elements and the
    /// values typed into fields), the options of drop-downs, button values, placeholders, titles, ARIA labels and alt texts.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EnglishWordsAsync(IPage page)
    {
        var text = await page.EvaluateAsync<string>("""
            () => {
              const parts = [document.title];
              const b = document.body.cloneNode(true);
              b.querySelectorAll('code, input, select, textarea, script, style').forEach(e => e.remove());
              parts.push(b.innerText);
              document.querySelectorAll('option').forEach(o => parts.push(o.text));
              document.querySelectorAll('input[type=submit], input[type=button], input[type=reset]').forEach(e => parts.push(e.value));
              for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
                document.querySelectorAll('[' + a + ']').forEach(e => parts.push(e.getAttribute(a)));
              }
              return parts.join('\n');
            }
            """);
        return EnglishWords(text);
    }

    /// <summary>
    /// The words of <paramref name="text"/> that are English (not in the allow-list of names and formats). A token counts
    /// only when it is shaped like a word (<c>word</c>, <c>Word</c>, <c>WORD</c>, <c>snake_case</c>): random identifiers
    /// the pages show (receipt ids in base64url such as <c>IDl_RKoXrezHH-3f…</c>) mix cases inside a token or run into
    /// digits and dashes, and are data, not text.
    /// </summary>
    public static IReadOnlyList<string> EnglishWords(string text) =>
        [.. Words().Matches(text).Select(m => m.Value).Where(w => !AllowedWords.Contains(w) && WordShaped().IsMatch(w)).Distinct()];

    /// <summary>Types the PINs of an in-person issuance (each new one twice) on the confirmation page.</summary>
    public static async Task FillIssuePinsAsync(IPage page, string cardPin = CounterServer.CardPin)
    {
        await page.GetByLabel("券面事項入力補助用の暗証番号（数字4桁）").FillAsync(cardPin);
        await page.GetByLabel("新しい署名用電子証明書のパスワード（英大文字と数字 6〜16桁）").FillAsync("ABC123");
        await page.GetByLabel("新しい署名用電子証明書のパスワード（確認）").FillAsync("ABC123");
        await page.GetByLabel("新しい利用者証明用電子証明書の暗証番号（数字4桁）").FillAsync("5678");
        await page.GetByLabel("新しい利用者証明用電子証明書の暗証番号（確認）").FillAsync("5678");
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_.-])[A-Za-z][A-Za-z_]{2,}(?![A-Za-z0-9_-])")]
    private static partial Regex Words();

    [GeneratedRegex(@"^(?:[A-Z]?[a-z]+|[A-Z]+)(?:_(?:[a-z]+|[A-Z]+))*$")]
    private static partial Regex WordShaped();
}
