using Jpki.Core.Identity;

namespace Jpki.Municipality.Residents;

/// <summary>
/// "Revoke the holder's <see cref="Kind"/> certificates issued up to <see cref="IssuedUpTo"/> with
/// <see cref="Reason"/>": written in the same transaction as the event that causes it, before the authority is
/// called, and done (idempotently) until it succeeds — so no required revocation is lost when the authority is down.
/// </summary>
/// <param name="Id">Task id.</param>
/// <param name="EventId">The event that caused it.</param>
/// <param name="HolderId">Whose certificates.</param>
/// <param name="Kind">Which certificate.</param>
/// <param name="Reason">CRLReason.</param>
/// <param name="CardId">Only certificates on this card (card loss), or null for every card of the holder.</param>
/// <param name="IssuedUpTo">Only certificates issued at or before this instant (a later re-issuance is not touched).</param>
/// <param name="Status">Pending or done.</param>
/// <param name="Attempts">Authority calls tried so far.</param>
/// <param name="LastError">The last failure (exception type and message), or null.</param>
/// <param name="RevokedSerials">Serials revoked when done (comma-separated), or null.</param>
public sealed record RevocationTask(
    string Id,
    string EventId,
    string HolderId,
    CertificateKind Kind,
    RevocationReason Reason,
    string? CardId,
    DateTimeOffset IssuedUpTo,
    RevocationTaskStatus Status,
    int Attempts,
    string? LastError,
    string? RevokedSerials);
