using Jpki.Core.Identity;

namespace Jpki.Municipality.Issuance;

/// <summary>What the counter sends to the authority for one certificate.</summary>
/// <param name="Kind">Signature or authentication.</param>
/// <param name="SubjectPublicKeyInfo">DER SubjectPublicKeyInfo of the key generated on the card.</param>
/// <param name="MappedInfo">Signature certificates: the basic 4 info mapped to the JPKI character set; null for authentication.</param>
/// <param name="CardId">The card the certificate goes onto.</param>
/// <param name="HolderId">The holder reference.</param>
/// <param name="NotAfter">End of validity, computed by <c>CertificateValidity</c>.</param>
/// <param name="PreviousSerialHex">The certificate this one renews, if any.</param>
/// <param name="NameFlags">Signature certificates: substitution flags of the name (OID 1.2.392.200149.8.5.5.2), when known.</param>
/// <param name="AddressFlags">Signature certificates: substitution flags of the address (OID 1.2.392.200149.8.5.5.6), when known.</param>
public sealed record CertificateIssueRequest(
    CertificateKind Kind,
    ReadOnlyMemory<byte> SubjectPublicKeyInfo,
    BasicFourInfo? MappedInfo,
    string CardId,
    string HolderId,
    DateTimeOffset NotAfter,
    string? PreviousSerialHex,
    string? NameFlags = null,
    string? AddressFlags = null);
