using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Revocation;

/// <summary>
/// Gathers what a B-LT signature embeds so it can be validated without the network later: the issuer certificates
/// up to the root and a revocation answer (OCSP, else CRL) for every certificate that has an issuer.
/// <see cref="OnlineValidationDataSource"/> asks the responders the certificates name (AIA, CDP); XAdES and PAdES
/// augmenters use the same source.
/// </summary>
public interface IValidationDataSource
{
    /// <summary>The validation data for <paramref name="certificates"/> (the signer's, its CAs', the TSAs').</summary>
    Task<ValidationData> CollectAsync(IReadOnlyList<X509Certificate2> certificates, CancellationToken cancellationToken);
}
