using Jpki.Core.Identity;

namespace Jpki.Municipality.Applications;

/// <summary>One certificate on a receipt.</summary>
/// <param name="Kind">Signature or authentication.</param>
/// <param name="SerialHex">Serial.</param>
/// <param name="ExpiresOn">Last valid Japan day.</param>
/// <param name="DecidedBy">Which limit gave the expiry (<c>birthday-5</c>, <c>birthday-6</c>, <c>years-10</c>, <c>card</c>, <c>auth-certificate</c>).</param>
/// <param name="RenewalOpens">First day of its renewal window.</param>
/// <param name="Mode">New, renewal or re-issuance.</param>
/// <param name="PreviousSerialHex">The certificate it superseded (renewal).</param>
/// <param name="FeeYen">Fee for this certificate.</param>
/// <param name="FeeCode">Fee code from <c>Fees</c>.</param>
public sealed record ReceiptCertificate(
    CertificateKind Kind,
    string SerialHex,
    DateOnly ExpiresOn,
    string DecidedBy,
    DateOnly RenewalOpens,
    IssuanceMode Mode,
    string? PreviousSerialHex,
    int FeeYen,
    string FeeCode);
