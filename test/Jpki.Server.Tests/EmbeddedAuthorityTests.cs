using System.Net;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests;

public sealed class EmbeddedAuthorityTests
{
    [Fact]
    public async Task Build_EmptyDataFolder_InitialisesTestAuthorityAndServesIt()
    {
        using var dir = new TempDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
        var options = new JpkiServerOptions { DataDirectory = dir.File("data"), Urls = "http://127.0.0.1:0" };
        await using (var app = JpkiServerHost.Build(options, clock))
        {
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            using var ca = X509CertificateLoader.LoadCertificate(await http.GetByteArrayAsync(new Uri("/ca/sign.cer", UriKind.Relative)));
            Assert.Contains("O=JPKI-TEST", ca.Subject, StringComparison.Ordinal);
            using var crl = await http.GetAsync(new Uri("/crl/sign.crl", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, crl.StatusCode);
            await app.StopAsync();
        }

        Assert.True(AuthorityFolder.IsInitialized(options.DataDirectory));
        Assert.True(File.Exists(Path.Combine(options.DataDirectory, "registry.db")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(options.DataDirectory, "authority", "passphrase")));
        }

        // A second start opens the same CAs.
        await using var reopened = await AuthorityFolder.OpenAsync(options.DataDirectory, clock, CancellationToken.None);
        Assert.Contains("O=JPKI-TEST", reopened.Authority.SignCa.Name.Name, StringComparison.Ordinal);
    }
}
