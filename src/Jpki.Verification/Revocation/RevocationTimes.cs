namespace Jpki.Verification.Revocation;

/// <summary>
/// Revocation times as a relying party may believe them. A CRL or OCSP answer can only know of revocations made before
/// it was produced: an entry dated after the answer's thisUpdate (a CA that accepted <c>revoke --at 2099-…</c>) still
/// proves the certificate revoked, so it counts from thisUpdate. Otherwise a key-compromise revocation would read as
/// "good until 2099".
/// </summary>
internal static class RevocationTimes
{
    /// <summary>The earlier of the stated revocation time and the moment the revocation data was produced.</summary>
    public static DateTimeOffset NoLaterThan(DateTimeOffset stated, DateTimeOffset producedAt) => stated <= producedAt ? stated : producedAt;
}
