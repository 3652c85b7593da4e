using Jpki.Card.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Card.Virtual;

/// <summary>What a new, un-issued virtual card is printed with.</summary>
/// <param name="CardNumber">The card's own number (ASCII letters and digits); also names its management key.</param>
/// <param name="HolderReference">An opaque reference to the holder in the municipality's records (not the My Number).</param>
/// <param name="Kind">My Number card or 住基 card.</param>
/// <param name="Expiry">The card's expiry date.</param>
public sealed record VirtualCardSpec(string CardNumber, string HolderReference, CardKind Kind, DateOnly Expiry)
{
    /// <summary>
    /// The card profile (ATR, token label, applications, access rules). Null: <see cref="CardProfile.MyNumberCard"/> for a
    /// My Number card, <see cref="CardProfile.JukiCard"/> for a 住基 card. Its <see cref="CardProfile.Kind"/> must match
    /// <see cref="Kind"/>.
    /// </summary>
    public CardProfile? Profile { get; init; }

    /// <summary>The ATR to present, one of the profile's <see cref="CardProfile.Atrs"/>; null = the profile's first.</summary>
    public CardAtr? Atr { get; init; }

    /// <summary>The issuing municipality's 全国地方公共団体コード, 5 digits (GET DATA 00F0, common AP record). Default <c>00000</c>.</summary>
    public string MunicipalityCode { get; init; } = "00000";

    /// <summary>The profile this spec resolves to.</summary>
    public CardProfile ResolvedProfile => Profile ?? (Kind == CardKind.JukiCard ? CardProfile.JukiCard : CardProfile.MyNumberCard);
}
