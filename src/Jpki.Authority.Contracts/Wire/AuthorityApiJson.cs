namespace Jpki.Server.AuthorityApi;

/// <summary>The JSON shapes of the authority API (<c>/api/authority</c>).</summary>
internal static class AuthorityApiJson
{
    /// <summary>An issuance request: what <c>IssueRequest</c> takes, with the public key as base64 DER SubjectPublicKeyInfo.</summary>
    internal sealed record IssueBody(
        string? Kind,
        string? SubjectPublicKeyInfo,
        string? CardId,
        string? HolderId,
        string? ExpiryDate,
        SignatureBody? Signature,
        string? PreviousSerial);

    /// <summary>The prefecture, municipality and basic 4 info of a signature certificate, already in the certificate character set.</summary>
    internal sealed record SignatureBody(
        string? Prefecture,
        string? Municipality,
        string? Name,
        string? NameSubstitutionFlags,
        string? Address,
        string? AddressSubstitutionFlags,
        string? DateOfBirth,
        int? Sex);

    /// <summary>A revocation request: RFC 5280 reason name (default <c>unspecified</c>) and optionally the instant.</summary>
    internal sealed record RevokeBody(string? Reason, DateTimeOffset? RevokedAt);

    /// <summary>A certificate as the registry holds it (the certificate itself base64 DER).</summary>
    internal sealed record CertificateView(
        string Serial,
        string Kind,
        string CardId,
        string HolderId,
        DateTimeOffset NotBefore,
        DateTimeOffset NotAfter,
        DateTimeOffset IssuedAt,
        string? PreviousSerial,
        string Status,
        DateTimeOffset? RevokedAt,
        string? RevocationReason,
        string Certificate);

    /// <summary>The answer to a revocation: <c>revoked</c> now or <c>already-revoked</c> (the first revocation stays).</summary>
    internal sealed record RevocationView(string Serial, string Result, DateTimeOffset RevokedAt, string RevocationReason);
}
