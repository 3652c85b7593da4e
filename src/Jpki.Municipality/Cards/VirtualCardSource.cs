using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Issuance;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Cards;

/// <summary>
/// Virtual card files (<c>*.jpkicard</c>, as <c>jpki card new</c> writes them) in one or more folders, opened in this
/// process. Ids are <c>file:&lt;file name&gt;</c>. A card open here is locked against every other opener until disposed.
/// </summary>
public sealed class VirtualCardSource : ICounterCardSource
{
    /// <summary>The id prefix.</summary>
    public const string Prefix = "file:";

    /// <summary>The file extension listed.</summary>
    public const string Extension = ".jpkicard";

    private readonly IReadOnlyList<string> _folders;
    private readonly byte[] _masterKey;
    private readonly Func<CertificateKind, byte[]?> _caCertificate;
    private readonly Jpki.Card.Applications.CardOptions _cardOptions;

    /// <summary>Creates the source.</summary>
    /// <param name="folders">Folders to list (missing ones are skipped).</param>
    /// <param name="masterKey">The card-management master key (copied).</param>
    /// <param name="caCertificate">The CA certificate to write next to an issued certificate, or null for none.</param>
    /// <param name="cardLogger">Where the opened cards log wrong PINs and lock-outs (events 2101–2106; null: nowhere).</param>
    public VirtualCardSource(IReadOnlyList<string> folders, ReadOnlySpan<byte> masterKey, Func<CertificateKind, byte[]?>? caCertificate = null, ILogger? cardLogger = null)
    {
        ArgumentNullException.ThrowIfNull(folders);
        _folders = folders;
        _masterKey = masterKey.ToArray();
        _caCertificate = caCertificate ?? (_ => null);
        _cardOptions = new Jpki.Card.Applications.CardOptions { Logger = cardLogger };
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CounterCardSlot>> ListAsync(CancellationToken cancellationToken)
    {
        var slots = new List<CounterCardSlot>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = Path.GetFileName(file);
                if (seen.Add(name))
                {
                    slots.Add(new CounterCardSlot(Prefix + name, "virtual", name, TryReadNumber(file)));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<CounterCardSlot>>(slots);
    }

    /// <inheritdoc/>
    public Task<CardCounterCard> OpenAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        cancellationToken.ThrowIfCancellationRequested();
        var name = id.StartsWith(Prefix, StringComparison.Ordinal) ? id[Prefix.Length..] : id;
        // Only a plain file name of a card file in the card folders: no folder part, no "..", no NUL, no other file.
        if (name.Length == 0 || name != Path.GetFileName(name) || name.Contains('\0', StringComparison.Ordinal)
            || !name.EndsWith(Extension, StringComparison.Ordinal) || name == Extension)
        {
            throw new CounterCardException("card-not-found", $"No virtual card '{name}'.");
        }

        var path = _folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists)
            ?? throw new CounterCardException("card-not-found", $"No virtual card '{name}' in {string.Join(", ", _folders)}.");
        return Task.FromResult(OpenFile(path));
    }

    /// <summary>Opens a virtual card file at any path (the CLI's <c>--card FILE</c>).</summary>
    /// <exception cref="CounterCardException">Missing, unreadable or in use.</exception>
    public CardCounterCard OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new CounterCardException("card-not-found", $"No virtual card file {Path.GetFileName(path)}.");
        }

        VirtualCard card;
        try
        {
            card = VirtualCard.Open(path, _cardOptions);
        }
        catch (VirtualCardException e)
        {
            throw new CounterCardException(e.Code == "card-in-use" ? "card-in-use" : "card-unreadable", e.Message, e);
        }

        try
        {
            var info = new CardInfo(card.CardNumber, card.Kind, card.Expiry, card.IsPinSet(PinKind.CardPin))
            {
                Generation = card.Profile == CardProfile.NextGeneration ? CardGeneration.NextGeneration : CardGeneration.Current,
            };
            var key = CardManagementKey.Derive(_masterKey, card.CardNumber);
            var transport = new InProcessTransport(card, Path.GetFileName(path), ownsCard: true);
            return new CardCounterCard(transport, info, key, CaCertificates(), ownsTransport: true);
        }
        catch
        {
            card.Dispose();
            throw;
        }
    }

    private Dictionary<CertificateKind, byte[]> CaCertificates()
    {
        var result = new Dictionary<CertificateKind, byte[]>();
        foreach (var kind in new[] { CertificateKind.Signature, CertificateKind.Authentication })
        {
            if (_caCertificate(kind) is { } der)
            {
                result[kind] = der;
            }
        }

        return result;
    }

    private static string? TryReadNumber(string path)
    {
        try
        {
            using var card = VirtualCard.Open(path);
            return card.CardNumber;
        }
        catch (VirtualCardException)
        {
            return null; // in use elsewhere (e.g. inserted through vpcd) or not a card file
        }
        catch (IOException)
        {
            return null;
        }
    }
}
