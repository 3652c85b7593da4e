using Jpki.Authority.Ca;
using Jpki.Core.Identity;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;
using Jpki.OnlineApplication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.OnlineApplication;

/// <summary>
/// <c>jpki serve</c> on a temp data folder (embedded authority initialised on first start), on a free loopback port,
/// with a FakeTimeProvider, the test staff scheme and one resident in <c>counter.db</c>.
/// </summary>
internal sealed class EApplicationServer : IAsyncDisposable
{
    public static readonly BasicFourInfo Hanako = new("電子　花子", "東京都千代田区永田町一丁目７番１号", new DateOnly(1990, 2, 28), Sex.Female);
    public static readonly BasicFourInfo Taro = new("失効　太郎", "東京都千代田区霞が関二丁目１番１号", new DateOnly(1985, 6, 1), Sex.Male);

    private EApplicationServer(string data, FakeTimeProvider clock, WebApplication app)
    {
        Data = data;
        Clock = clock;
        App = app;
    }

    public string Data { get; }

    public FakeTimeProvider Clock { get; }

    public WebApplication App { get; }

    public string BaseUrl => App.Urls.First();

    public AuthorityRuntime Authority => App.Services.GetRequiredService<OwnedAuthority>().Runtime;

    public static async Task<EApplicationServer> StartAsync(Uri? helperUrl = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "jpki-eapp-test-" + Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
        var app = JpkiServerHost.Build(
            new JpkiServerOptions
            {
                DataDirectory = data,
                Urls = "http://127.0.0.1:0",
                ConfigureServices = services =>
                {
                    TestStaffAuthentication.Register(services);
                    if (helperUrl is not null)
                    {
                        services.AddSingleton(new OnlineApplicationOptions { HelperUrl = helperUrl });
                    }
                },
            },
            clock);
        await app.StartAsync();
        await using (var counter = CounterStores.OpenSqlite(Path.Combine(data, "counter.db")))
        {
            await counter.MigrateAsync(CancellationToken.None);
            await counter.AddResidentsAsync(
                [
                    new Resident("R0001", Hanako.Name, "デンシ　ハナコ", Hanako.Address, Hanako.DateOfBirth, Hanako.Sex, false, "H0001"),
                    new Resident("R0002", Taro.Name, "シッコウ　タロウ", Taro.Address, Taro.DateOfBirth, Taro.Sex, false, "H0002"),
                ],
                CancellationToken.None);
        }

        return new EApplicationServer(data, clock, app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Data, recursive: true);
    }
}
