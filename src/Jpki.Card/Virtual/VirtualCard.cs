using System.Security.Cryptography;
using Jpki.Card.Applications;
using Jpki.Card.Issuer;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Card.Profiles;

namespace Jpki.Card.Virtual;

/// <summary>
/// A virtual My Number card backed by a card file. While an instance is open it holds the file's exclusive lock: the
/// card is "inserted" in this process, and a second opener gets <see cref="VirtualCardException"/> <c>card-in-use</c>.
/// </summary>
public sealed class VirtualCard : ICard, IDisposable
{
    private readonly VirtualCardStore _store;
    private readonly CardProcessor _processor;

    private VirtualCard(VirtualCardStore store, CardProcessor processor)
    {
        _store = store;
        _processor = processor;
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> Atr => _processor.Image.Atr;

    /// <summary>The card's profile (ATR, token label, applications, access rules).</summary>
    public CardProfile Profile => _processor.Profile;

    /// <summary>The card number.</summary>
    public string CardNumber => _processor.Image.CardNumber;

    /// <summary>The holder reference printed at creation.</summary>
    public string HolderReference => _processor.Image.HolderReference;

    /// <summary>My Number card or 住基 card.</summary>
    public CardKind Kind => _processor.Image.Kind;

    /// <summary>The card's expiry date.</summary>
    public DateOnly Expiry => _processor.Image.Expiry;

    /// <summary>
    /// True when <paramref name="kind"/> has a value on the card. A card made by <c>jpki card new</c> has none until the
    /// issuer sets it; a real card leaves J-LIS with its card PIN set. What the counter's card adapter uses to guide the
    /// clerk before anyone types a PIN (the card itself answers VERIFY of an unset PIN with 6985).
    /// </summary>
    public bool IsPinSet(PinKind kind)
    {
        var (application, fid) = kind switch
        {
            PinKind.CardPin => (Applications.CardApplication.Text, CardFiles.TextPin),
            PinKind.SignaturePassword => (Applications.CardApplication.Jpki, CardFiles.SignPin),
            PinKind.AuthenticationPin => (Applications.CardApplication.Jpki, CardFiles.AuthPin),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a PIN of the card."),
        };
        return _processor.Image.For(application).Pins.TryGetValue(ApplicationImage.Key(fid), out var record) && record.IsSet;
    }

    /// <summary>The card file's full path.</summary>
    public string FilePath => _store.Path;

    internal CardProcessor Processor => _processor;

    internal VirtualCardStore Store => _store;

    /// <summary>
    /// Creates an un-issued card file at <paramref name="path"/>: token info written, no keys, no certificates, no PINs
    /// set (the issuer channel does that). The card stays open (locked) in the returned instance.
    /// </summary>
    /// <param name="path">Where to write the card; must not exist.</param>
    /// <param name="spec">Card number, holder reference, kind, expiry.</param>
    /// <param name="managementKey">The card-management key, derived by the authority for this card number.</param>
    /// <param name="options">Card behaviour switches.</param>
    /// <exception cref="VirtualCardException"><c>card-file-exists</c>, <c>card-in-use</c>, or an I/O failure.</exception>
    public static VirtualCard Create(string path, VirtualCardSpec spec, CardManagementKey managementKey, CardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(managementKey);
        if (string.IsNullOrEmpty(spec.CardNumber) || !spec.CardNumber.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("The card number must be ASCII letters and digits.", nameof(spec));
        }

        var profile = spec.ResolvedProfile;
        if (profile.Kind != spec.Kind)
        {
            throw new ArgumentException($"The profile '{profile.Id}' is a {profile.Kind}, not a {spec.Kind}.", nameof(spec));
        }

        var atr = spec.Atr ?? profile.Atrs[0];
        if (!profile.Atrs.Contains(atr))
        {
            throw new ArgumentException($"The ATR '{atr.Name}' is not one the profile '{profile.Id}' presents.", nameof(spec));
        }

        if (spec.MunicipalityCode is not { Length: 5 } code || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The municipality code has 5 digits.", nameof(spec));
        }

        var store = VirtualCardStore.Acquire(path);
        try
        {
            if (File.Exists(store.Path))
            {
                throw new VirtualCardException("card-file-exists", $"A card file already exists at {store.Path}; choose another path.");
            }

            var image = new CardImage
            {
                CardNumber = spec.CardNumber,
                HolderReference = spec.HolderReference,
                Kind = spec.Kind,
                Expiry = spec.Expiry,
                Profile = profile.Id,
                Atr = atr.Bytes,
                MunicipalityCode = spec.MunicipalityCode,
                ManagementKey = managementKey.ExportBytes(),
            };
            image.Jpki.Files[ApplicationImage.Key(CardFiles.TokenInfo)] = TokenInfo.Build(spec.CardNumber, profile.TokenLabel);
            foreach (var layout in profile.Layouts)
            {
                foreach (var entry in layout.Files.Where(e => e.Pin is not null))
                {
                    image.For(layout.Application).Pins[ApplicationImage.Key(entry.Fid)] =
                        new PinRecord { MaxTries = entry.Pin!.MaxTries, TriesLeft = entry.Pin.MaxTries };
                }
            }

            if (profile.Layout(CardApplication.Common) is not null)
            {
                image.Common.Files[ApplicationImage.Key(CardFiles.CommonCardInfo)] =
                    CommonApEncoding.EncodeCardInfo(spec.CardNumber, spec.MunicipalityCode, spec.Expiry);
            }

            store.Persist(image);
            return new VirtualCard(store, new CardProcessor(image, store, options));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Opens (inserts) an existing card file and takes its lock.</summary>
    /// <exception cref="VirtualCardException"><c>card-in-use</c>, <c>card-file-missing</c>, <c>card-file-invalid</c>, <c>card-file-version</c>.</exception>
    public static VirtualCard Open(string path, CardOptions? options = null) => Open(path, options, sink => sink);

    internal static VirtualCard Open(string path, CardOptions? options, Func<ICardImageSink, ICardImageSink> decorate)
    {
        var store = VirtualCardStore.Acquire(path);
        try
        {
            var image = store.Load();
            if (CardImageMigration.Upgrade(image, store.Path))
            {
                // Written back at once, under the lock: the file on disk is in the current format from now on.
                store.Persist(image);
            }

            return new VirtualCard(store, new CardProcessor(image, decorate(store), options));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public byte[] Transmit(ReadOnlySpan<byte> commandApdu) => _processor.Transmit(commandApdu);

    /// <inheritdoc/>
    public void Reset() => _processor.Reset();

    /// <summary>Releases the lock (removes the card) and drops keys from memory.</summary>
    public void Dispose()
    {
        _processor.Dispose();
        CryptographicOperations.ZeroMemory(_processor.Image.ManagementKey);
        _store.Dispose();
    }
}
