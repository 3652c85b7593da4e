using Jpki.Core.Identity;

namespace Jpki.Municipality.Applications;

/// <summary>Revocation on request (JPKI-REFERENCE §8.1 reason 1).</summary>
/// <param name="ResidentId">The holder.</param>
/// <param name="IdentityChecked">The clerk has checked the photo ID of whoever asks.</param>
/// <param name="Kinds">Which certificates.</param>
/// <param name="ByThirdParty">Asked by someone other than the holder (needs a supervisor).</param>
public sealed record RevocationRequest(string ResidentId, bool IdentityChecked, IReadOnlyList<CertificateKind> Kinds, bool ByThirdParty = false);
