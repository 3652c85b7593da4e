namespace Jpki.Authority.Registry;

/// <summary>
/// The idempotency key an issuance was requested under, stored with the certificate (unique): the registration
/// authority's request id and the SHA-256 digest of the request it named (<see cref="Ca.IssueRequest.ComputeDigest"/>),
/// so that a repeat of the id with the same request answers this certificate and with another request is refused.
/// </summary>
/// <param name="RequestId">The request id (8–64 characters of <c>A–Z a–z 0–9 . _ : -</c>).</param>
/// <param name="Digest">SHA-256 of the request's canonical form, 32 bytes.</param>
public sealed record IssuanceRequestKey(string RequestId, ReadOnlyMemory<byte> Digest)
{
    /// <summary>True when <paramref name="digest"/> is this key's digest.</summary>
    public bool Matches(ReadOnlySpan<byte> digest) => Digest.Span.SequenceEqual(digest);
}
