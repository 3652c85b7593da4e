namespace Jpki.Core.Rules;

/// <summary>The fee for issuing a certificate (see <see cref="Fees"/>).</summary>
/// <param name="Yen">Amount in yen; 0 when free.</param>
/// <param name="Code">Stable reason code: <c>free-my-number-card</c>, <c>juki-card</c> or <c>outside-card-validity</c>.</param>
/// <param name="Reason">A sentence a clerk can read out.</param>
public sealed record CertificateFee(int Yen, string Code, string Reason);
