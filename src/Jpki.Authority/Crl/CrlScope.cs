namespace Jpki.Authority.Crl;

/// <summary>
/// What one CRL document covers and points to (RFC 5280 §5.2): a partition's issuingDistributionPoint, a delta's
/// BaseCRLNumber, and the freshestCRL where the deltas of its scope are published.
/// </summary>
/// <param name="Partition">0 for the full CRL (no issuingDistributionPoint), else the partition id.</param>
/// <param name="DistributionPoint">The partition's URL, written as the issuingDistributionPoint (null for the full CRL).</param>
/// <param name="DeltaBase">For a delta CRL, the number of the complete CRL it updates; null for a complete CRL.</param>
/// <param name="FreshestCrl">For a complete CRL, the URL of its delta CRLs (freshestCRL), or null.</param>
public sealed record CrlScope(int Partition, string? DistributionPoint, long? DeltaBase, string? FreshestCrl)
{
    /// <summary>The full CRL: every certificate of the CA, no issuingDistributionPoint.</summary>
    public static CrlScope Full { get; } = new(0, null, null, null);
}
