using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Support;

/// <summary>
/// The authority endpoints on a running server for a test: the committed test CA keys, an in-memory registry and
/// audit log, a temp folder, loopback on a free port (HTTPS when a server certificate is given). Disposed in reverse.
/// </summary>
internal sealed class AuthorityTestServer : IAsyncDisposable
{
    private AuthorityTestServer(FakeTimeProvider clock, AuthorityOptions options)
    {
        Clock = clock;
        var authority = new CertificateAuthority(
            TestKeys.Ca(CertificateKind.Signature), TestKeys.Ca(CertificateKind.Authentication), Registry, Audit, clock, options);
        Runtime = new AuthorityRuntime(authority, Audit, Dir.File("crl"), [authority.SignCa, authority.AuthCa]);
    }

    public TempDir Dir { get; } = new();

    public FakeTimeProvider Clock { get; }

    public InMemoryRegistry Registry { get; } = new();

    public InMemoryAuditLog Audit { get; } = new();

    public AuthorityRuntime Runtime { get; }

    public CertificateAuthority Authority => Runtime.Authority;

    public WebApplication App { get; private set; } = null!;

    public string Url => App.Urls.First();

    /// <summary>A client on <see cref="Url"/> (plain HTTP servers; HTTPS tests make their own with certificates).</summary>
    public HttpClient Http { get; private set; } = null!;

    public static async Task<AuthorityTestServer> StartAsync(FakeTimeProvider clock, AuthorityOptions options, X509Certificate2? tlsCertificate = null)
    {
        var server = new AuthorityTestServer(clock, options);
        var urls = tlsCertificate is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0";
        server.App = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = server.Dir.File("data"), Urls = urls, TlsCertificate = tlsCertificate }, clock, server.Runtime);
        await server.App.StartAsync();
        server.Http = new HttpClient { BaseAddress = new Uri(server.Url) };
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await Runtime.DisposeAsync();
        Dir.Dispose();
    }
}
