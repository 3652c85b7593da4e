namespace Jpki.Authority.Crl;

/// <summary>Facts about a CRL that was written.</summary>
/// <param name="Number">The cRLNumber.</param>
/// <param name="ThisUpdate">thisUpdate.</param>
/// <param name="NextUpdate">nextUpdate.</param>
/// <param name="EntryCount">How many revoked certificates it lists.</param>
/// <param name="Length">Its size in bytes.</param>
public sealed record CrlDocument(long Number, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, long EntryCount, long Length);
