using Jpki.Core.Identity;

namespace Jpki.Municipality.Applications;

/// <summary>Where one certificate's issue-then-write-card workflow stands (<see cref="IssuanceWorkflow"/>).</summary>
public enum IssuanceWorkflowState
{
    /// <summary>Recorded before the authority is asked: the outcome at the authority is not known yet.</summary>
    Intended = 1,

    /// <summary>The authority issued the certificate; the card has not been touched for it (recovery revokes it without looking).</summary>
    Issued = 2,

    /// <summary>Done: the certificate and its PIN are on the card.</summary>
    Written = 3,

    /// <summary>
    /// Done: the card write failed (or the process stopped before it), so the certificate nobody holds was revoked
    /// (reason unspecified, as J-LIS does for certificates destroyed before delivery).
    /// </summary>
    Revoked = 4,

    /// <summary>Done: the authority refused the request; nothing was issued.</summary>
    NotIssued = 5,

    /// <summary>
    /// A renewal: the new certificate and its PIN are on the card; the certificate it renews is still to be revoked
    /// (superseded). Recorded before the authority is asked, so a process that stops here revokes it on restart.
    /// </summary>
    Superseding = 6,

    /// <summary>
    /// Recorded durably just before the card is written: the certificate may or may not be on the card. Recovery reads the
    /// card (<see cref="Issuance.ICounterCard.ReadCertificateAsync"/>) and compares serial and public key: on the card →
    /// written (and, for a renewal, superseding); not on the card → revoked (unspecified); card absent or unreadable →
    /// stays open and tells the clerk to present the card (never a guess).
    /// </summary>
    Writing = 7,
}

/// <summary>
/// One certificate of an issuance at the counter, recorded in the counter store before the authority is asked (with
/// the request id the authority keeps, <see cref="IssuanceRequestId"/>), then marked issued, then written. An
/// issuance that stops half-way — the card write fails, the process is killed — is found open and resolved exactly
/// once: re-asked with the same request id if the authority's answer was never recorded, then its certificate revoked —
/// unless it stopped while the card was being written, when the card decides: completed if the certificate is on it,
/// revoked if not (<see cref="IssuanceRecovery"/>).
/// </summary>
/// <param name="RequestId">The idempotency key sent to the authority (primary key).</param>
/// <param name="Kind">Sign or auth.</param>
/// <param name="ResidentId">The holder.</param>
/// <param name="CardId">The card it was meant for.</param>
/// <param name="StaffId">Who issued.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Serial">The certificate's serial once issued.</param>
/// <param name="RequestBody">
/// The request as sent (the contract's JSON body), kept only while the workflow is open so that it can be sent again
/// with the same id; cleared when done (it carries the basic 4 info of a signature certificate).
/// </param>
/// <param name="CreatedAt">When the intent was recorded.</param>
/// <param name="UpdatedAt">The last change of state or attempt.</param>
/// <param name="Attempts">Failed attempts to resolve it.</param>
/// <param name="LastError">The last failure (exception type and sentence, never a PIN).</param>
public sealed record IssuanceWorkflow(
    string RequestId,
    CertificateKind Kind,
    string ResidentId,
    string CardId,
    string StaffId,
    IssuanceWorkflowState State,
    string? Serial,
    string? RequestBody,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Attempts,
    string? LastError)
{
    /// <summary>
    /// The serial (hex) of the certificate this issuance renews, revoked as superseded once the new one is on the card
    /// (<see cref="IssuanceWorkflowState.Superseding"/>); null for a first issuance or a re-issuance.
    /// </summary>
    public string? Supersedes { get; init; }

    /// <summary>
    /// Not done yet: <see cref="IssuanceWorkflowState.Intended"/>, <see cref="IssuanceWorkflowState.Issued"/>,
    /// <see cref="IssuanceWorkflowState.Writing"/> or <see cref="IssuanceWorkflowState.Superseding"/>.
    /// </summary>
    public bool IsOpen => State is IssuanceWorkflowState.Intended or IssuanceWorkflowState.Issued or IssuanceWorkflowState.Writing or IssuanceWorkflowState.Superseding;
}
