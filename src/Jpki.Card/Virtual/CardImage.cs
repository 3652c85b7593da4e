using Jpki.Core.Identity;

namespace Jpki.Card.Virtual;

/// <summary>
/// The persistent state of one virtual card, as stored in the card file (JSON, <see cref="FormatVersion"/> 2).
/// Mutable on purpose: the card processor changes it and hands it to the store to write atomically.
/// </summary>
/// <remarks>
/// Version 2 added the card profile, the ATR, the municipality code and the visual, common and 住基 APs, and changed the
/// text AP's EF 0001/0002 layouts to the real card's; <see cref="CardImageMigration"/> upgrades version-1 files.
/// </remarks>
internal sealed class CardImage
{
    /// <summary>The current file format version.</summary>
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; set; } = CurrentFormatVersion;

    public string CardNumber { get; set; } = "";

    public string HolderReference { get; set; } = "";

    public CardKind Kind { get; set; } = CardKind.MyNumberCard;

    public DateOnly Expiry { get; set; }

    /// <summary>The card profile's id (<see cref="Profiles.CardProfile.Id"/>); empty in version-1 files.</summary>
    public string Profile { get; set; } = "";

    /// <summary>The ATR the card presents.</summary>
    public byte[] Atr { get; set; } = [];

    /// <summary>全国地方公共団体コード (5 digits) of the issuing municipality, for GET DATA 00F0 and the common AP record.</summary>
    public string MunicipalityCode { get; set; } = "00000";

    /// <summary>The card-management key (HMAC-SHA256, 32 bytes) the issuer proves knowledge of.</summary>
    public byte[] ManagementKey { get; set; } = [];

    public ApplicationImage Jpki { get; set; } = new();

    public ApplicationImage Text { get; set; } = new();

    public ApplicationImage Visual { get; set; } = new();

    public ApplicationImage Common { get; set; } = new();

    public ApplicationImage Juki { get; set; } = new();

    public ApplicationImage For(Applications.CardApplication application) => application switch
    {
        Applications.CardApplication.Jpki => Jpki,
        Applications.CardApplication.Text => Text,
        Applications.CardApplication.Visual => Visual,
        Applications.CardApplication.Common => Common,
        Applications.CardApplication.Juki => Juki,
        _ => throw new ArgumentOutOfRangeException(nameof(application), application, "No application."),
    };
}
