using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.OnlineApplication;

public sealed class StaffQueueWithoutSignInTests
{
    [Fact]
    public async Task Staff_NoStaffPoliciesConfigured_UnavailableAndNothingShown()
    {
        var data = Path.Combine(Path.GetTempPath(), "jpki-eapp-nosignin-" + Guid.NewGuid().ToString("N"));
        try
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
            await using (var app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0" }, clock))
            {
                await app.StartAsync();
                using var http = new HttpClient();

                using var response = await http.GetAsync(new Uri(app.Urls.First() + "/e-application/staff/"));
                using var citizen = await http.GetAsync(new Uri(app.Urls.First() + "/e-application/"));

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Contains("職員ログインが設定されていません", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.OK, citizen.StatusCode);
                await app.StopAsync();
            }

            Assert.True(File.Exists(Path.Combine(data, "eapp.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
