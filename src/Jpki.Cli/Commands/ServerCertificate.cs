using System.Security.Cryptography.X509Certificates;

namespace Jpki.Cli.Commands;

/// <summary>Loads the HTTPS server certificate of <c>jpki serve --tls-cert --tls-key</c>.</summary>
internal static class ServerCertificate
{
    /// <summary>A PEM certificate and its PEM private key, re-imported through PKCS#12 so that SslStream can use the key.</summary>
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
