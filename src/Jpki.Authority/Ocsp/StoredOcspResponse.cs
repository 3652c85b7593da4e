using Jpki.Core.Identity;

namespace Jpki.Authority.Ocsp;

/// <summary>A signed OCSP response kept in the registry, shared by every responder process.</summary>
/// <param name="SerialHex">The certificate.</param>
/// <param name="HashAlgorithm">The CertID hash it answers (<see cref="OcspCertIdHash"/>).</param>
/// <param name="Kind">The CA.</param>
/// <param name="Status">0 good, 1 revoked.</param>
/// <param name="ThisUpdate">thisUpdate (= producedAt).</param>
/// <param name="NextUpdate">nextUpdate.</param>
/// <param name="RefreshAt">When a newer one is signed (before nextUpdate).</param>
/// <param name="Der">The OCSPResponse.</param>
public sealed record StoredOcspResponse(
    string SerialHex,
    OcspCertIdHash HashAlgorithm,
    CertificateKind Kind,
    int Status,
    DateTimeOffset ThisUpdate,
    DateTimeOffset NextUpdate,
    DateTimeOffset RefreshAt,
    ReadOnlyMemory<byte> Der)
{
    /// <summary>Status value of a good answer.</summary>
    public const int Good = 0;

    /// <summary>Status value of a revoked answer.</summary>
    public const int Revoked = 1;
}
