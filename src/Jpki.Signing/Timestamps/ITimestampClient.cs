using System.Security.Cryptography;

namespace Jpki.Signing.Timestamps;

/// <summary>
/// Gets RFC 3161 time-stamp tokens: what CAdES signature/archive time-stamps, XAdES SignatureTimeStamp/ArchiveTimeStamp
/// and PAdES document time-stamps are made of. <see cref="HttpTimestampClient"/> talks to a TSA over HTTP
/// (OpenJpki's <c>/tsa</c>, or any RFC 3161 TSA).
/// </summary>
public interface ITimestampClient
{
    /// <summary>A token over <paramref name="hash"/>, the digest of the data to stamp.</summary>
    /// <param name="hash">The message imprint's hash.</param>
    /// <param name="algorithm">Its algorithm (SHA-256, SHA-384, SHA-512).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="TimestampException">The TSA refused, answered something else than a matching token, or could not be reached.</exception>
    Task<IssuedTimestamp> StampAsync(ReadOnlyMemory<byte> hash, HashAlgorithmName algorithm, CancellationToken cancellationToken);
}
