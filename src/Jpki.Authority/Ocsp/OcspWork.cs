using Jpki.Core.Identity;

namespace Jpki.Authority.Ocsp;

/// <summary>A certificate whose pre-signed OCSP answer is missing or due for refresh.</summary>
/// <param name="SerialHex">The certificate.</param>
/// <param name="Kind">Its CA.</param>
/// <param name="HashAlgorithm">The CertID hash of the answer to sign.</param>
public readonly record struct OcspWork(string SerialHex, CertificateKind Kind, OcspCertIdHash HashAlgorithm);
