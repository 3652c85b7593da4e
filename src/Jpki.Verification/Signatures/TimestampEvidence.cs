using System.Security.Cryptography;

namespace Jpki.Verification.Signatures;

/// <summary>
/// A time-stamp token a format found in a signature, and how to compute what it should cover: the format knows which
/// bytes a CAdES signature-time-stamp, an archive-time-stamp-v3 or a PAdES document time-stamp covers; the common
/// rules only need the hash of them in the algorithm the token chose.
/// </summary>
/// <param name="Kind">What the token covers.</param>
/// <param name="Token">The DER TimeStampToken (ContentInfo with SignedData over TSTInfo).</param>
/// <param name="Imprint">
/// Computes the expected message imprint with the token's hash algorithm; returns null when the covered data cannot
/// be rebuilt (e.g. an archive time-stamp without its hash index), which fails the token.
/// </param>
public sealed record TimestampEvidence(TimestampKind Kind, ReadOnlyMemory<byte> Token, Func<HashAlgorithmName, byte[]?> Imprint);
