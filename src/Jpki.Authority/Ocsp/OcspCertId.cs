namespace Jpki.Authority.Ocsp;

/// <summary>One CertID of an OCSP request (RFC 6960 §4.1.1).</summary>
/// <param name="HashAlgorithm">OID of the hash over the issuer name and key (SHA-1 or SHA-256 supported).</param>
/// <param name="IssuerNameHash">Hash of the issuer's DN.</param>
/// <param name="IssuerKeyHash">Hash of the issuer's subjectPublicKey.</param>
/// <param name="SerialHex">The serial asked about, registry form.</param>
/// <param name="Encoded">The CertID DER as the client sent it, echoed in the response.</param>
internal sealed record OcspCertId(string HashAlgorithm, byte[] IssuerNameHash, byte[] IssuerKeyHash, string SerialHex, byte[] Encoded);
