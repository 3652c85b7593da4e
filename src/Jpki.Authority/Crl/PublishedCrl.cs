namespace Jpki.Authority.Crl;

/// <summary>A CRL currently published for one CA and scope: a local file (a cache of the registry's copy) and its facts.</summary>
/// <param name="Path">The DER file (immutable: a newer publication is a new file; open it, don't cache the bytes).</param>
/// <param name="Document">Number, this/next update, entry count, size.</param>
public sealed record PublishedCrl(string Path, CrlDocument Document)
{
    /// <summary>0 for the full CRL, else the partition.</summary>
    public int Partition { get; init; }

    /// <summary>True for a delta CRL.</summary>
    public bool Delta { get; init; }

    /// <summary>SHA-256 of the DER (a strong HTTP validator).</summary>
    public ReadOnlyMemory<byte> Sha256 { get; init; }
}
