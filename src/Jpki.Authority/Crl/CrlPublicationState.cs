using Jpki.Core.Identity;

namespace Jpki.Authority.Crl;

/// <summary>
/// What one CA currently publishes, as recorded in the registry: the base generation (a full CRL and one complete CRL
/// per partition, all with one number, built from the revocations up to <see cref="BaseSequence"/>) and, when
/// published since, the delta generation relative to it.
/// </summary>
/// <param name="Kind">The CA.</param>
/// <param name="BaseNumber">cRLNumber of the base generation.</param>
/// <param name="BaseSequence">The revocation-sequence position the base generation covers.</param>
/// <param name="DeltaNumber">cRLNumber of the current delta generation, or null.</param>
/// <param name="DeltaSequence">The position the delta generation covers, or null.</param>
/// <param name="PublishedAt">When the latest of the two was published.</param>
/// <param name="Documents">The documents of the base and delta generations.</param>
public sealed record CrlPublicationState(
    CertificateKind Kind,
    long BaseNumber,
    long BaseSequence,
    long? DeltaNumber,
    long? DeltaSequence,
    DateTimeOffset PublishedAt,
    IReadOnlyList<CrlDocumentInfo> Documents)
{
    /// <summary>
    /// How long the base generation took to build (null when published before this was recorded): it spaces the rebuilds of
    /// the complete CRLs, in whichever process holds the publisher lease — after a restart or a failover too.
    /// </summary>
    public TimeSpan? BaseBuildTime { get; init; }

    /// <summary>The newest position of the revocation sequence that the published CRLs cover.</summary>
    public long CoveredSequence => DeltaSequence ?? BaseSequence;

    /// <summary>The document of <paramref name="partition"/> (0 = full), complete or delta, or null.</summary>
    public CrlDocumentInfo? Find(int partition, bool delta) =>
        Documents.FirstOrDefault(d => d.Partition == partition && d.Delta == delta && d.Number == (delta ? DeltaNumber : BaseNumber));
}
