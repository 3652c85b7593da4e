using System.Security.Cryptography.X509Certificates;

namespace Jpki.Cli.Commands;

/// <summary>Loads the HTTPS server certificate of <c>jpki serve --tls-cert --tls-key</c>.</summary>
internal static class ServerCertificate
{
    /// <summary>A PEM certificate and its PEM private key, re-imported through PKCS#12 so that SslStream can use the key.</summary>
    /// <exception cref="InvalidDataException">A file is missing, unreadable, or not a PEM certificate/key pair; the message names the file.</exception>
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read the TLS certificate or key ({certificatePath}, {keyPath}): {e.Message}", e);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // The exception text of a PEM import never holds key material, only what kind of PEM was missing.
            throw new InvalidDataException($"--tls-cert/--tls-key must be a PEM certificate and its PEM private key ({certificatePath}, {keyPath}): {e.Message}", e);
        }
    }
}
