namespace Jpki.Card.Applications;

/// <summary>One EF of an application's file system and its access rule.</summary>
/// <param name="Fid">File identifier.</param>
/// <param name="Kind">Transparent, record, PIN or key EF.</param>
/// <param name="Access">
/// For transparent and record EFs: the PIN EFs of which any one, once verified, opens READ (empty = free). For key EFs:
/// the PIN EFs of which any one enables the key (empty = usable with no credential, as the 券面 APs' own keys).
/// </param>
/// <param name="IssuerWritable">Whether the issuer channel may write the EF (or generate the key).</param>
/// <param name="Pin">For PIN EFs: what the reference accepts and its tries.</param>
/// <param name="Algorithm">For key EFs: the key's algorithm.</param>
internal sealed record FileEntry(
    ushort Fid, FileKind Kind, ushort[] Access, bool IssuerWritable = false, PinRule? Pin = null, CardKeyAlgorithm? Algorithm = null)
{
    /// <summary>A transparent EF readable after any of <paramref name="pins"/> (free when none).</summary>
    public static FileEntry Transparent(ushort fid, bool writable, params ushort[] pins) => new(fid, FileKind.Transparent, pins, writable);

    /// <summary>A one-record EF readable after any of <paramref name="pins"/> (free when none).</summary>
    public static FileEntry Record(ushort fid, bool writable, params ushort[] pins) => new(fid, FileKind.Record, pins, writable);

    /// <summary>A PIN EF (key reference).</summary>
    public static FileEntry PinEf(ushort fid, PinRule rule) => new(fid, FileKind.Pin, [], Pin: rule);

    /// <summary>A key EF the issuer generates, enabled by any of <paramref name="pins"/> (none = no credential).</summary>
    public static FileEntry KeyEf(ushort fid, CardKeyAlgorithm algorithm, params ushort[] pins) =>
        new(fid, FileKind.Key, pins, IssuerWritable: true, Algorithm: algorithm);

    /// <summary>The PIN EF that enables a key EF or opens a file when exactly one does (JPKI-AP keys), else null.</summary>
    public ushort? SinglePin => Access.Length == 1 ? Access[0] : null;
}
