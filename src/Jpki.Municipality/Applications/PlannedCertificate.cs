using Jpki.Core.Identity;
using Jpki.Core.Rules;

namespace Jpki.Municipality.Applications;

/// <summary>One certificate an issuance will make.</summary>
/// <param name="Kind">Signature or authentication.</param>
/// <param name="Mode">New, renewal or re-issuance.</param>
/// <param name="Expiry">The expiry and what decided it.</param>
/// <param name="PreviousSerial">The certificate a renewal replaces (revoked as superseded after the new one is on the card).</param>
/// <param name="FeeYen">The fee.</param>
/// <param name="FeeCode">Why that fee.</param>
public sealed record PlannedCertificate(CertificateKind Kind, IssuanceMode Mode, CertificateExpiry Expiry, string? PreviousSerial, int FeeYen, string FeeCode);
