using Org.BouncyCastle.Ocsp;

namespace Jpki.Load.Scenarios;

/// <summary>One certID to ask about, its request (DER, no nonce) and the status the answer must give.</summary>
internal sealed record OcspTarget(CertificateID Id, byte[] Request, string GetPath, ExpectedStatus Expected, Org.BouncyCastle.X509.X509Certificate Issuer);

/// <summary>The status an OCSP answer must give for a target.</summary>
internal enum ExpectedStatus
{
    Good,
    Revoked,
    Unknown,
}
