using Jpki.Core.Identity;

namespace Jpki.Municipality.Applications;

/// <summary>
/// Whether the issuance form should offer a certificate ticked, and why (<see cref="CounterService.SuggestAsync"/>):
/// what the situation needs, so that after a move only the revoked signature certificate is ticked, not a valid
/// authentication certificate whose renewal has not opened.
/// </summary>
/// <param name="Kind">The certificate.</param>
/// <param name="Suggested">Tick it by default.</param>
/// <param name="Reason">
/// <c>new</c> (none yet), <c>reissue</c> (the last one was revoked or expired), <c>renewal</c> (valid, inside the renewal
/// window), <c>renewal-too-early</c> (valid, window not open: see <paramref name="RenewalOpens"/>),
/// <c>sign-under-15</c>, <c>sign-under-guardianship</c>.
/// </param>
/// <param name="ValidUntil">The current certificate's expiry, when there is a valid one.</param>
/// <param name="RenewalOpens">When its renewal window opens.</param>
public sealed record KindSuggestion(CertificateKind Kind, bool Suggested, string Reason, DateOnly? ValidUntil = null, DateOnly? RenewalOpens = null);
