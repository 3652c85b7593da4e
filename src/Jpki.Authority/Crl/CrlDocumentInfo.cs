using Jpki.Core.Identity;

namespace Jpki.Authority.Crl;

/// <summary>One published CRL document as the registry keeps it (the bytes are fetched separately).</summary>
/// <param name="Kind">The CA.</param>
/// <param name="Number">Its cRLNumber (shared by every document of one generation).</param>
/// <param name="Partition">0 for the full CRL, else the partition (<c>yyyymm</c>).</param>
/// <param name="Delta">True for a delta CRL.</param>
/// <param name="BaseNumber">For a delta, the BaseCRLNumber; null otherwise.</param>
/// <param name="ThisUpdate">thisUpdate.</param>
/// <param name="NextUpdate">nextUpdate.</param>
/// <param name="EntryCount">Entries listed.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of the DER (the HTTP ETag).</param>
public sealed record CrlDocumentInfo(
    CertificateKind Kind,
    long Number,
    int Partition,
    bool Delta,
    long? BaseNumber,
    DateTimeOffset ThisUpdate,
    DateTimeOffset NextUpdate,
    long EntryCount,
    long Length,
    ReadOnlyMemory<byte> Sha256);
