using Jpki.Card.Applications;
using Jpki.Card.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Card.Virtual;

/// <summary>
/// Upgrades a card file of an older format to <see cref="CardImage.CurrentFormatVersion"/>. The card is written back in
/// the new format when it is opened (<see cref="VirtualCard.Open(string, Applications.CardOptions?)"/>), under its lock.
/// </summary>
internal static class CardImageMigration
{
    /// <summary>
    /// Version 1 → 2: the profile follows the card kind (<c>mynumber</c> or <c>juki</c>) and the ATR is the profile's default;
    /// text AP EF 0001 (<c>10 0C</c> digits <c>FF FF FF</c>) and EF 0002 (empty <c>DF 21</c>) are re-encoded in the real card's
    /// layouts (<c>FF 10 0C</c> digits <c>FF FF</c>; <c>DF 21</c> = offset table). Nothing else changes: keys, certificates,
    /// PIN verifiers and retry counters are kept as they are.
    /// </summary>
    /// <returns>True when <paramref name="image"/> was changed.</returns>
    /// <exception cref="VirtualCardException"><c>card-file-invalid</c> when the old text AP content cannot be decoded.</exception>
    public static bool Upgrade(CardImage image, string path)
    {
        if (image.FormatVersion != 1)
        {
            return false;
        }

        var profile = image.Kind == CardKind.JukiCard ? CardProfile.JukiCard : CardProfile.MyNumberCard;
        image.Profile = profile.Id;
        image.Atr = profile.Atrs[0].Bytes;
        var files = image.Text.Files;
        var myNumberKey = ApplicationImage.Key(CardFiles.TextMyNumber);
        if (files.TryGetValue(myNumberKey, out var oldNumber) && oldNumber.Length > 0)
        {
            var digits = oldNumber.Length == 17 && oldNumber[0] == 0x10 && oldNumber[1] == 0x0C
                ? System.Text.Encoding.ASCII.GetString(oldNumber, 2, 12)
                : throw new VirtualCardException("card-file-invalid", $"{path}: text AP EF 0001 is not in the version-1 layout.");
            files[myNumberKey] = TextApEncoding.EncodeMyNumber(digits);
        }

        var basicFourKey = ApplicationImage.Key(CardFiles.TextBasicFour);
        if (files.TryGetValue(basicFourKey, out var oldBasic) && oldBasic.Length > 0)
        {
            var info = TextApEncoding.DecodeBasicFour(oldBasic)
                ?? throw new VirtualCardException("card-file-invalid", $"{path}: text AP EF 0002 is not in the version-1 layout.");
            files[basicFourKey] = TextApEncoding.EncodeBasicFour(info);
        }

        image.FormatVersion = CardImage.CurrentFormatVersion;
        return true;
    }
}
