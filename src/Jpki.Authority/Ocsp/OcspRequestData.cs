namespace Jpki.Authority.Ocsp;

/// <summary>A parsed OCSP request: its CertIDs and the nonce extension's value, if any.</summary>
/// <param name="CertIds">The requested certificates (at least one).</param>
/// <param name="NonceExtensionValue">The nonce extnValue content (an OCTET STRING of 1–32 octets, RFC 8954), or null.</param>
internal sealed record OcspRequestData(IReadOnlyList<OcspCertId> CertIds, byte[]? NonceExtensionValue);
