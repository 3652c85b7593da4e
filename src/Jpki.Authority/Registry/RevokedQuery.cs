using Jpki.Core.Identity;

namespace Jpki.Authority.Registry;

/// <summary>Which revoked certificates of one CA a stream returns.</summary>
/// <param name="Kind">The CA.</param>
/// <param name="NotAfterFrom">Only certificates whose notAfter is at or after this instant (expired ones drop off).</param>
public sealed record RevokedQuery(CertificateKind Kind, DateTimeOffset NotAfterFrom)
{
    /// <summary>Only this CRL partition (0: certificates issued without one); null: every partition.</summary>
    public int? Partition { get; init; }

    /// <summary>Only revocations after this position of the revocation sequence (exclusive); null: from the first.</summary>
    public long? SequenceAfter { get; init; }

    /// <summary>Only revocations up to this position (inclusive); null: all committed.</summary>
    public long? SequenceUpTo { get; init; }

    /// <summary>
    /// In partition order, serial order within a partition, instead of serial order: one scan then feeds every partition
    /// CRL of a generation in turn (the registry reads its partition index once instead of once per partition).
    /// </summary>
    public bool OrderByPartition { get; init; }
}
