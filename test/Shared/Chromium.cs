using System.Text;
using Microsoft.Playwright;

namespace Jpki.Testing;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>) driven by Playwright, headless, for browser tests. Playwright's own
/// browser download is never used: the executable path is given. Missing Chromium is a failure that names the
/// package. Screenshots go to <c>test-artifacts/screenshots/&lt;test&gt;/</c> at the repository root (or under
/// <c>JPKI_TEST_ARTIFACTS</c>), where CI keeps them.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private const string Executable = "/usr/bin/chromium";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> Violations = new();

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The launched browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not been started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed ({Executable} is missing): install the Debian package chromium (apt-get install -y chromium).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // Root in CI containers cannot use Chromium's user-namespace sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--lang=ja-JP"],
        });
    }

    /// <summary>A fresh context (own cookies) and page, in Japanese, with a desktop-sized viewport.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        var violations = Violations.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        return page;
    }

    /// <summary>
    /// What Chromium refused on <paramref name="page"/> under the server's Content-Security-Policy so far (its console
    /// messages): an inline script, style or event handler of ours, or a connection the policy does not allow.
    /// </summary>
    public static IReadOnlyList<string> CspViolations(IPage page)
    {
        var violations = Violations.GetOrCreateValue(page);
        lock (violations)
        {
            return [.. violations];
        }
    }

    /// <summary>The folder for one test's artifacts, created empty at first use in the run.</summary>
    public static string ArtifactDirectory(string test)
    {
        var root = Environment.GetEnvironmentVariable("JPKI_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), "test-artifacts");
        var directory = Path.Combine(root, "screenshots", Sanitize(test));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Saves a full-page screenshot of step <paramref name="step"/> of <paramref name="test"/>.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string test, int step, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(ArtifactDirectory(test), $"{step:D2}-{Sanitize(name)}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenJpki.slnx")))
            {
                return directory.FullName;
            }
        }

        return Path.GetTempPath();
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.ToString();
    }
}
