namespace Jpki.Authority.Contracts.Wire;

/// <summary>A certificate as the registry holds it (the certificate itself base64 DER). Typed: <see cref="AuthorityCertificate"/>.</summary>
/// <param name="Serial">Uppercase hex serial.</param>
/// <param name="Kind"><c>sign</c> or <c>auth</c>.</param>
/// <param name="CardId">The card.</param>
/// <param name="HolderId">The holder's reference.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="IssuedAt">When the authority issued it.</param>
/// <param name="PreviousSerial">The certificate it renewed or replaced.</param>
/// <param name="Status"><c>good</c> or <c>revoked</c>.</param>
/// <param name="RevokedAt">The published revocation date, when revoked.</param>
/// <param name="RevocationReason">The reason's wire name, when revoked.</param>
/// <param name="Certificate">The certificate, base64 DER.</param>
public sealed record CertificateView(
    string Serial,
    string Kind,
    string CardId,
    string HolderId,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset IssuedAt,
    string? PreviousSerial,
    string Status,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    string Certificate);
