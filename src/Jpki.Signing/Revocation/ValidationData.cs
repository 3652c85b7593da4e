using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Revocation;

/// <summary>Validation data gathered for a B-LT signature.</summary>
/// <param name="Certificates">Certificates to embed that were not given (issuers found in the extra certificates).</param>
/// <param name="Crls">DER CRLs.</param>
/// <param name="OcspResponses">DER OCSPResponses.</param>
/// <param name="Problems">Certificates for which nothing could be gathered, and why (the caller decides whether that is fatal).</param>
public sealed record ValidationData(IReadOnlyList<X509Certificate2> Certificates, IReadOnlyList<byte[]> Crls, IReadOnlyList<byte[]> OcspResponses, IReadOnlyList<string> Problems);
