namespace Jpki.Authority.Contracts.Wire;

/// <summary>
/// The JSON body of <c>POST /api/authority/certificates</c>. Read it with <see cref="CertificateIssuance.TryFromWire"/>,
/// write it with <see cref="CertificateIssuance.ToWire"/>; every member is nullable so that a missing field is a clear
/// 400, not a deserialisation failure.
/// </summary>
/// <param name="RequestId">The idempotency key (<see cref="IssuanceRequestId"/>); a repeat answers the first outcome.</param>
/// <param name="Kind"><c>sign</c> or <c>auth</c>.</param>
/// <param name="SubjectPublicKeyInfo">The card-generated public key: DER SubjectPublicKeyInfo in base64.</param>
/// <param name="CardId">The card the certificate goes onto.</param>
/// <param name="HolderId">The holder's reference at the municipality (never the My Number).</param>
/// <param name="ExpiryDate">The last day of validity, <c>YYYY-MM-DD</c> (Japan date).</param>
/// <param name="Signature">Signature certificates: the subject; ignored for <c>auth</c>.</param>
/// <param name="PreviousSerial">The certificate this one renews or replaces, if any.</param>
public sealed record IssueBody(
    string? RequestId,
    string? Kind,
    string? SubjectPublicKeyInfo,
    string? CardId,
    string? HolderId,
    string? ExpiryDate,
    SignatureBody? Signature,
    string? PreviousSerial);
