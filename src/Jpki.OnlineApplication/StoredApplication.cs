namespace Jpki.OnlineApplication;

/// <summary>
/// An accepted, verified application as stored: the signed bytes, the signature, the verdict and the signer's basic 4
/// info as the certificate certifies it (substitution flags included), and the staff's handling. <see cref="Signature"/>
/// is what was kept: the submitted signature raised to B-LTA (a CMS, a detached XAdES, or the whole signed PDF, by
/// <see cref="SignatureFormat"/> <c>cades</c>, <c>xades</c>, <c>pades</c>).
/// </summary>
internal sealed record StoredApplication(
    string Receipt,
    DateTimeOffset SubmittedAt,
    RequestKind Kind,
    byte[] Document,
    string DocumentSha256,
    byte[] Signature,
    string VerdictCode,
    string VerdictMessage,
    DateTimeOffset VerifiedAt,
    string SignerSubject,
    string SignerSerialHex,
    string Name,
    string NameSubstitutions,
    string Address,
    string AddressSubstitutions,
    DateOnly DateOfBirth,
    int Sex,
    ApplicationStatus Status = ApplicationStatus.Received,
    string? StaffNote = null,
    string? HandledBy = null,
    DateTimeOffset? HandledAt = null,
    string SignatureFormat = "cades");
