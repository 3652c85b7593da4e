using System.Security.Cryptography.X509Certificates;
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

    /// <summary>Loads a PEM certificate and its PEM private key (PKCS#8 or PKCS#1) for <see cref="JpkiServerOptions.TlsCertificate"/>.</summary>
    public static X509Certificate2 LoadPem(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // Re-import so that the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
