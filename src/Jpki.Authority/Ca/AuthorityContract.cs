using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;

namespace Jpki.Authority.Ca;

/// <summary>
/// Between the authority's own types and the registration-authority contract (<c>Jpki.Authority.Contracts</c>): the one
/// place where a registry record becomes an <see cref="AuthorityCertificate"/> and a contract issuance becomes an
/// <see cref="IssueRequest"/>. The authority API and the in-process adapter both use it.
/// </summary>
public static class AuthorityContract
{
    /// <summary>The contract view of a registry record.</summary>
    public static AuthorityCertificate ToContract(this CertificateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AuthorityCertificate(
            CertificateSerial.Parse(record.SerialHex),
            record.Kind,
            new CardId(record.CardId),
            new HolderId(record.HolderId),
            record.NotBefore,
            record.NotAfter,
            record.IssuedAt,
            record.PreviousSerialHex is null ? null : CertificateSerial.Parse(record.PreviousSerialHex),
            record.Revocation is { } r ? new CertificateRevocation(r.RevokedAt, r.Reason) : null,
            record.Der);
    }

    /// <summary>The authority's request for a contract issuance, audited under <paramref name="actor"/>.</summary>
    public static IssueRequest ToIssueRequest(this CertificateIssuance issuance, string actor)
    {
        ArgumentNullException.ThrowIfNull(issuance);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        SignatureSubject? subject = issuance.Signature is { } s
            ? new SignatureSubject(s.Prefecture, s.Municipality, s.Name, s.NameFlagsOrNone, s.Address, s.AddressFlagsOrNone, s.DateOfBirth, s.Sex)
            : null;
        return new IssueRequest(
            issuance.Kind, issuance.SubjectPublicKeyInfo, issuance.CardId.Value, issuance.HolderId.Value, issuance.ExpiryDate, subject, issuance.PreviousSerial?.Hex, actor)
        {
            RequestId = issuance.RequestId?.Value,
        };
    }
}
