using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Jpki.Server;

/// <summary>
/// HTTPS for the <c>https://</c> addresses of <see cref="JpkiServerOptions.Urls"/>, with the server certificate of
/// <see cref="JpkiServerOptions.TlsCertificate"/>. Clients may present a certificate (never required): the TLS layer
/// accepts any, and the authority endpoints decide whether it is a registered verifier's (<see cref="VerifierChecks"/>),
/// so an unknown certificate gets a 403 answer, not a failed handshake.
/// </summary>
internal static class ServerTls
{
    public static void UseJpkiTls(this IWebHostBuilder webHost, JpkiServerOptions options)
    {
        if (options.TlsCertificate is not { } certificate)
        {
            return;
        }

        webHost.UseKestrelHttpsConfiguration();
        webHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
    }
}
