using Jpki.Core.Pins;

namespace Jpki.Card.Applications;

/// <summary>One EF of an application's file system and its access rule.</summary>
/// <param name="Fid">File identifier.</param>
/// <param name="Kind">Transparent, PIN or key EF.</param>
/// <param name="ReadPin">For transparent EFs: the PIN EF that must be verified before READ (null = free). For key EFs: the PIN EF that enables the key.</param>
/// <param name="IssuerWritable">Whether the issuer channel may write the EF.</param>
/// <param name="PinKind">For PIN EFs: the PIN's policy.</param>
internal sealed record FileEntry(ushort Fid, FileKind Kind, ushort? ReadPin = null, bool IssuerWritable = false, PinKind? PinKind = null)
{
    public static readonly FileEntry[] Jpki =
    [
        new(CardFiles.SignCertificate, FileKind.Transparent, CardFiles.SignPin, IssuerWritable: true),
        new(CardFiles.SignCaCertificate, FileKind.Transparent, IssuerWritable: true),
        new(CardFiles.TokenInfo, FileKind.Transparent),
        new(CardFiles.Availability, FileKind.Transparent),
        new(CardFiles.AuthCertificate, FileKind.Transparent, IssuerWritable: true),
        new(CardFiles.AuthCaCertificate, FileKind.Transparent, IssuerWritable: true),
        new(CardFiles.AuthKey, FileKind.Key, CardFiles.AuthPin),
        new(CardFiles.AuthPin, FileKind.Pin, PinKind: Core.Pins.PinKind.AuthenticationPin),
        new(CardFiles.SignKey, FileKind.Key, CardFiles.SignPin),
        new(CardFiles.SignPin, FileKind.Pin, PinKind: Core.Pins.PinKind.SignaturePassword),
    ];

    public static readonly FileEntry[] Text =
    [
        new(CardFiles.TextMyNumber, FileKind.Transparent, CardFiles.TextPin, IssuerWritable: true),
        new(CardFiles.TextBasicFour, FileKind.Transparent, CardFiles.TextPin, IssuerWritable: true),
        new(CardFiles.TextPin, FileKind.Pin, PinKind: Core.Pins.PinKind.CardPin),
    ];

    public static FileEntry? Find(CardApplication application, ushort fid)
    {
        var table = application switch
        {
            CardApplication.Jpki => Jpki,
            CardApplication.Text => Text,
            _ => [],
        };
        return Array.Find(table, e => e.Fid == fid);
    }
}
