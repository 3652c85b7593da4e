using Jpki.Core.Identity;

namespace Jpki.Authority.Registry;

/// <summary>One issued certificate as the registry holds it.</summary>
/// <param name="SerialHex">The serial number as uppercase hex without leading zero bytes (unique across both CAs).</param>
/// <param name="Kind">Which CA issued it.</param>
/// <param name="CardId">The card the certificate was issued onto.</param>
/// <param name="HolderId">The holder's reference at the municipality (never the My Number).</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity (23:59:59 JST of the expiry day).</param>
/// <param name="IssuedAt">When the authority issued it.</param>
/// <param name="PreviousSerialHex">The certificate this one renewed or replaced, if any (JPKI-REFERENCE §8.3).</param>
/// <param name="Der">The certificate.</param>
/// <param name="Revocation">Set once revoked; never cleared.</param>
public sealed record CertificateRecord(
    string SerialHex,
    CertificateKind Kind,
    string CardId,
    string HolderId,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset IssuedAt,
    string? PreviousSerialHex,
    ReadOnlyMemory<byte> Der,
    RevocationInfo? Revocation)
{
    /// <summary>
    /// The CRL partition written into the certificate's CRL distribution point at issuance (<c>yyyymm</c> of the first
    /// month of its expiry window, docs/authority.md); 0 when the certificate points at the full CRL only.
    /// </summary>
    public int CrlPartition { get; init; }

    /// <summary>The request id and digest it was issued under, when the registration authority sent one (unique in the registry).</summary>
    public IssuanceRequestKey? Request { get; init; }
}
