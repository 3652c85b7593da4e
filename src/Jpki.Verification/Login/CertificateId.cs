using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Login;

/// <summary>A certificate named by issuer and serial number, as the authority's linkage service names them.</summary>
/// <param name="IssuerName">The issuer DN (RFC 4514 text as <see cref="X500DistinguishedName.Name"/> gives it).</param>
/// <param name="SerialNumber">The serial number in upper-case hex, without leading zero bytes.</param>
public readonly record struct CertificateId(string IssuerName, string SerialNumber)
{
    /// <summary>The id of <paramref name="certificate"/>.</summary>
    public static CertificateId Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var serial = certificate.SerialNumberBytes.Span.TrimStart((byte)0);
        return new CertificateId(certificate.IssuerName.Name, serial.IsEmpty ? "00" : Convert.ToHexString(serial));
    }
}
