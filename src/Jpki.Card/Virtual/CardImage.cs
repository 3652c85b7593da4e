using Jpki.Core.Identity;

namespace Jpki.Card.Virtual;

/// <summary>
/// The persistent state of one virtual card, as stored in the card file (JSON, <see cref="FormatVersion"/> 1).
/// Mutable on purpose: the card processor changes it and hands it to the store to write atomically.
/// </summary>
internal sealed class CardImage
{
    /// <summary>The current file format version.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; set; } = CurrentFormatVersion;

    public string CardNumber { get; set; } = "";

    public string HolderReference { get; set; } = "";

    public CardKind Kind { get; set; } = CardKind.MyNumberCard;

    public DateOnly Expiry { get; set; }

    /// <summary>The card-management key (HMAC-SHA256, 32 bytes) the issuer proves knowledge of.</summary>
    public byte[] ManagementKey { get; set; } = [];

    public ApplicationImage Jpki { get; set; } = new();

    public ApplicationImage Text { get; set; } = new();

    public ApplicationImage For(Applications.CardApplication application) => application switch
    {
        Applications.CardApplication.Jpki => Jpki,
        Applications.CardApplication.Text => Text,
        _ => throw new ArgumentOutOfRangeException(nameof(application), application, "No application."),
    };
}
