namespace Jpki.Card.Virtual;

/// <summary>The persistent state of one card application: transparent EFs, PIN EFs and key EFs, keyed by 4-hex-digit FID.</summary>
internal sealed class ApplicationImage
{
    /// <summary>Transparent EF contents by FID (e.g. "000A").</summary>
    public Dictionary<string, byte[]> Files { get; set; } = [];

    /// <summary>PIN EFs by FID (e.g. "0018").</summary>
    public Dictionary<string, PinRecord> Pins { get; set; } = [];

    /// <summary>Private keys (PKCS#8 DER) by key EF FID (e.g. "0017").</summary>
    public Dictionary<string, byte[]> Keys { get; set; } = [];

    public static string Key(ushort fid) => fid.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
