using Jpki.Card.Applications;
using Jpki.Core.Identity;

namespace Jpki.Card.Profiles;

/// <summary>
/// What kind of card or token a virtual card is: its answer-to-reset, the token label in JPKI-AP EF 0006, which
/// applications it carries, each application's file system and access rules, and the key algorithm of each key EF.
/// Chosen when the card is created (<c>jpki card new --profile</c>, <see cref="Virtual.VirtualCardSpec.Profile"/>) and
/// stored in the card file.
/// </summary>
/// <remarks>
/// A profile is data: the card processor reads every layout, access rule, PIN rule and key algorithm from it, so a new
/// kind of card (for example the next-generation card with ECDSA P-384 keys, fewer applications and PINs and an optional
/// PUK, JPKI-REFERENCE §14) is a new instance with its own layouts plus, for a new key algorithm, one more
/// <see cref="CardKeyAlgorithm"/> case in the key factory — not a change to the processor's command handling.
/// </remarks>
public sealed class CardProfile
{
    private readonly ApplicationLayout[] _layouts;

    private CardProfile(
        string id,
        string description,
        CardKind kind,
        string tokenLabel,
        CardAtr[] atrs,
        byte[]? contactAtr,
        ApplicationLayout[] layouts,
        bool lastCommandIndicator = false)
    {
        Id = id;
        Description = description;
        Kind = kind;
        TokenLabel = tokenLabel;
        Atrs = atrs;
        ContactAtr = contactAtr;
        _layouts = layouts;
        LastCommandIndicator = lastCommandIndicator;
    }

    /// <summary>The plastic My Number card through a contact reader (the default).</summary>
    public static CardProfile MyNumberCard { get; } = new(
        "mynumber", "個人番号カード (My Number card), contact interface", CardKind.MyNumberCard, Jpki.Card.Applications.TokenInfo.CardLabel,
        [.. KnownAtrs.Contact, .. KnownAtrs.Contactless], KnownAtrs.Contact[0].Bytes, StandardLayouts.MyNumberCard());

    /// <summary>The plastic My Number card through a contactless (NFC) reader: same card, a reader-built ATR.</summary>
    public static CardProfile MyNumberCardContactless { get; } = new(
        "mynumber-contactless", "個人番号カード (My Number card), contactless interface", CardKind.MyNumberCard,
        Jpki.Card.Applications.TokenInfo.CardLabel, [.. KnownAtrs.Contactless, .. KnownAtrs.Contact], KnownAtrs.Contact[0].Bytes,
        StandardLayouts.MyNumberCard());

    /// <summary>住民基本台帳カード: JPKI-AP and 住基AP, token label <c>JPKIAPICCTOKEN</c>; same APDUs as the My Number card.</summary>
    public static CardProfile JukiCard { get; } = new(
        "juki", "住民基本台帳カード (住基カード)", CardKind.JukiCard, "JPKIAPICCTOKEN",
        [KnownAtrs.Juki], KnownAtrs.Juki.Bytes, StandardLayouts.JukiCard());

    /// <summary>スマホ用電子証明書 on Android (GlobalPlatform SE): JPKI-AP only; the auth certificate needs the auth PIN.</summary>
    public static CardProfile AndroidToken { get; } = new(
        "android", "スマホ用電子証明書 (Android, JPKIAPGPSETOKEN)", CardKind.MyNumberCard, "JPKIAPGPSETOKEN",
        [KnownAtrs.Phone], null, StandardLayouts.SmartphoneToken());

    /// <summary>スマホ用電子証明書 on iPhone: as Android, plus the last-command indicator <c>80 FC 00 00</c>.</summary>
    public static CardProfile IPhoneToken { get; } = new(
        "iphone", "スマホ用電子証明書 (iPhone, JPKIAPIOSTOKEN)", CardKind.MyNumberCard, "JPKIAPIOSTOKEN",
        [KnownAtrs.Phone], null, StandardLayouts.SmartphoneToken(), lastCommandIndicator: true);

    /// <summary>
    /// The next-generation My Number card (JPKI-REFERENCE §14 [R], launch not before 2026): ECDSA P-384 keys, 認証AP and
    /// 券面等AP, two PINs and an optional PUK, a 6-digit 照合番号. The ATR and token label are ours (not public).
    /// </summary>
    public static CardProfile NextGeneration { get; } = new(
        "nextgen", "次期個人番号カード (next-generation My Number card, ECDSA P-384)", CardKind.MyNumberCard,
        Jpki.Card.Applications.TokenInfo.CardLabel, [KnownAtrs.NextGeneration], KnownAtrs.NextGeneration.Bytes,
        StandardLayouts.NextGenerationCard());

    /// <summary>Every profile this build knows, default first.</summary>
    public static IReadOnlyList<CardProfile> All { get; } = [MyNumberCard, MyNumberCardContactless, JukiCard, AndroidToken, IPhoneToken, NextGeneration];

    /// <summary>Stable id stored in the card file and used on the command line.</summary>
    public string Id { get; }

    /// <summary>A sentence for people.</summary>
    public string Description { get; }

    /// <summary>The card kind the counter's rules see.</summary>
    public CardKind Kind { get; }

    /// <summary>The label in the first 32 bytes of JPKI-AP EF 0006.</summary>
    public string TokenLabel { get; }

    /// <summary>The ATRs a card of this profile may present; the first is the default.</summary>
    public IReadOnlyList<CardAtr> Atrs { get; }

    /// <summary>The contact ATR the card returns for GET DATA 5F51 (without TS), or null when it has none (phones).</summary>
    public byte[]? ContactAtr { get; }

    /// <summary>Whether the card answers the iPhone token's last-command indicator <c>80 FC 00 00</c>.</summary>
    public bool LastCommandIndicator { get; }

    /// <summary>The applications the card carries, in the order a listing shows them.</summary>
    public IReadOnlyList<CardApplication> Applications => [.. _layouts.Select(l => l.Application)];

    /// <summary>The algorithm of the JPKI-AP's (認証AP's) two keys: RSA-2048, or ECDSA P-384 on the next-generation card.</summary>
    public CardKeyAlgorithm KeyAlgorithm => Layout(CardApplication.Jpki)?.Find(CardFiles.SignKey)?.Algorithm ?? CardKeyAlgorithm.Rsa2048;

    /// <summary>Whether the card has a PUK that unblocks the JPKI-AP's PINs (RESET RETRY COUNTER <c>00 2C</c>).</summary>
    public bool HasPuk => Layout(CardApplication.Jpki)?.Puk is not null;

    /// <summary>Whether reading the authentication certificate (EF 000A) needs the authentication PIN (smartphone tokens).</summary>
    public bool AuthCertificateNeedsPin =>
        Layout(CardApplication.Jpki)?.Find(CardFiles.AuthCertificate) is { Access.Length: > 0 };

    /// <summary>The profile named <paramref name="id"/> (case-insensitive), or null.</summary>
    public static CardProfile? Find(string? id) =>
        All.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The ATR named <paramref name="name"/> among this profile's ATRs (case-insensitive), or null.</summary>
    public CardAtr? FindAtr(string? name) =>
        Atrs.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    internal ApplicationLayout? Layout(CardApplication application) => Array.Find(_layouts, l => l.Application == application);

    internal IReadOnlyList<ApplicationLayout> Layouts => _layouts;

    /// <inheritdoc/>
    public override string ToString() => Id;
}
