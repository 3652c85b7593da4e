using Jpki.Core.Identity;

namespace Jpki.Authority.Profiles;

/// <summary>What a JPKI end-entity certificate says, read back by <see cref="JpkiCertificateParser"/>.</summary>
/// <param name="Kind">Sign or auth, from the certificate policy.</param>
/// <param name="SerialHex">Serial number, uppercase hex.</param>
/// <param name="CommonName">The opaque subject CN.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Signature">For a signature certificate: prefecture, municipality and basic 4 info; null for auth.</param>
public sealed record ParsedJpkiCertificate(
    CertificateKind Kind,
    string SerialHex,
    string CommonName,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    SignatureSubject? Signature);
