using Jpki.Authority.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Authority.Ca;

/// <summary>What the municipal counter sends the authority to issue one certificate.</summary>
/// <param name="Kind">Sign or auth.</param>
/// <param name="SubjectPublicKeyInfo">The card-generated RSA public key, DER SubjectPublicKeyInfo.</param>
/// <param name="CardId">The card the certificate goes onto.</param>
/// <param name="HolderId">The holder's reference at the municipality (never the My Number).</param>
/// <param name="ExpiryDate">The last day of validity (computed by the rules engine); notAfter is 23:59:59 JST of it.</param>
/// <param name="Signature">Prefecture, municipality and basic 4 info; required for sign, ignored for auth.</param>
/// <param name="PreviousSerialHex">The certificate this one renews or replaces (linkage, JPKI-REFERENCE §8.3), if any.</param>
/// <param name="Actor">Who asks (staff account or service), for the audit log.</param>
public sealed record IssueRequest(
    CertificateKind Kind,
    ReadOnlyMemory<byte> SubjectPublicKeyInfo,
    string CardId,
    string HolderId,
    DateOnly ExpiryDate,
    SignatureSubject? Signature,
    string? PreviousSerialHex,
    string Actor);
