using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Paths;

/// <summary>SHA-256 of a certificate, computed once per instance.</summary>
internal static class CertificateHashes
{
    private static readonly ConditionalWeakTable<X509Certificate2, string> Cache = [];

    public static string Sha256Hex(X509Certificate2 certificate)
        => Cache.GetValue(certificate, c => Convert.ToHexString(SHA256.HashData(c.RawDataMemory.Span)));
}
