namespace Jpki.Authority.Crl;

/// <summary>The CRL currently published for one CA: a file in the data folder and its facts.</summary>
/// <param name="Path">The DER file (replaced atomically on rebuild; open it, don't cache the bytes).</param>
/// <param name="Document">Number, this/next update, entry count, size.</param>
public sealed record PublishedCrl(string Path, CrlDocument Document);
