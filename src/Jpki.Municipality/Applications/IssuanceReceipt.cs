using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Applications;

/// <summary>What the holder takes home: serials, expiry dates, substitutions and the fee. Holds no secret.</summary>
/// <param name="ResidentId">The holder.</param>
/// <param name="CardId">The card.</param>
/// <param name="IssuedAt">When.</param>
/// <param name="Certificates">The certificates issued, authentication first.</param>
/// <param name="NameSubstitutions">Characters of the name replaced in the signature certificate.</param>
/// <param name="AddressSubstitutions">Characters of the address replaced in the signature certificate.</param>
/// <param name="CertificateName">The name as the signature certificate carries it (null without a signature certificate).</param>
/// <param name="CertificateAddress">The address as the signature certificate carries it.</param>
/// <param name="ByProxy">Issued at a proxy's second visit.</param>
public sealed record IssuanceReceipt(
    string ResidentId,
    string CardId,
    DateTimeOffset IssuedAt,
    IReadOnlyList<ReceiptCertificate> Certificates,
    IReadOnlyList<Substitution> NameSubstitutions,
    IReadOnlyList<Substitution> AddressSubstitutions,
    string? CertificateName,
    string? CertificateAddress,
    bool ByProxy)
{
    /// <summary>Total fee in yen.</summary>
    public int TotalFeeYen => Certificates.Sum(c => c.FeeYen);
}
