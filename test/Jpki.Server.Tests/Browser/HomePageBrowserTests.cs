using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class HomePageBrowserTests(Chromium chromium) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "jpki-browser-test-" + Guid.NewGuid().ToString("N"));
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    public async Task InitializeAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0", Authority = false }, clock);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Home_InChromium_RendersJapaneseTitle()
    {
        var page = await chromium.NewPageAsync();
        var response = await page.GotoAsync(_app!.Urls.First() + "/");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Contains("公的個人認証サービス", await page.ContentAsync(), StringComparison.Ordinal);
        var shot = await Chromium.ScreenshotAsync(page, nameof(Home_InChromium_RendersJapaneseTitle), 1, "home");
        Assert.True(new FileInfo(shot).Length > 1000, "the screenshot has content");
        await page.Context.CloseAsync();
    }
}
