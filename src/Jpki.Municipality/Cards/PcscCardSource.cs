using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Core.Identity;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Cards;

/// <summary>
/// Cards in PC/SC readers (real cards, or virtual ones inserted through vpcd). Ids are <c>reader:&lt;reader name&gt;</c>.
/// The card number is the token info's serial (EF 0006); kind and expiry are not readable from the JPKI-AP, so they
/// come from the card register (<paramref name="lookup"/>): an unregistered card cannot be opened.
/// </summary>
/// <param name="masterKey">The card-management master key.</param>
/// <param name="lookup">Card number (as read from the token info) → registered card info, or null.</param>
/// <param name="caCertificate">The CA certificate to write next to an issued certificate, or null for none.</param>
public sealed class PcscCardSource(byte[] masterKey, Func<string, CancellationToken, Task<CardInfo?>> lookup, Func<CertificateKind, byte[]?>? caCertificate = null)
    : ICounterCardSource
{
    /// <summary>The id prefix.</summary>
    public const string Prefix = "reader:";

    private readonly byte[] _masterKey = (byte[])(masterKey ?? throw new ArgumentNullException(nameof(masterKey))).Clone();

    /// <summary>
    /// Readers with a card present; empty when the PC/SC service is not running. Presence is read with
    /// <c>SCardGetStatusChange</c>: no card is connected to, so listing never resets a card or disturbs another
    /// application's session on it.
    /// </summary>
    public Task<IReadOnlyList<CounterCardSlot>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ReaderStatus> readers;
        try
        {
            readers = PcscReaders.GetStatus();
        }
        catch (CardTransportException)
        {
            return Task.FromResult<IReadOnlyList<CounterCardSlot>>([]);
        }

        IReadOnlyList<CounterCardSlot> slots = readers
            .Where(r => r.CardPresent)
            .Select(r => new CounterCardSlot(Prefix + r.Reader, "pcsc", r.Reader, null))
            .ToList();
        return Task.FromResult(slots);
    }

    /// <inheritdoc/>
    public async Task<CardCounterCard> OpenAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var reader = id.StartsWith(Prefix, StringComparison.Ordinal) ? id[Prefix.Length..] : id;
        PcscTransport transport;
        try
        {
            transport = PcscTransport.Connect(reader);
        }
        catch (CardTransportException e)
        {
            throw new CounterCardException("reader-unavailable", e.Message, e);
        }

        try
        {
            string serial;
            try
            {
                serial = TokenInfo.ReadSerial(new JpkiCardClient(transport).ReadTokenInfo());
            }
            catch (CardStatusException e)
            {
                throw new CounterCardException("card-unreadable", $"The card in {reader} has no JPKI token info ({e.Message}).", e);
            }

            var info = await lookup(serial, cancellationToken).ConfigureAwait(false)
                ?? throw new CounterCardException("card-not-registered", $"Card {serial} in {reader} is not in the card register.");

            // The register does not record the generation; the next-generation card's ATR (ours, CardProfile.NextGeneration) tells it.
            if (CardProfile.NextGeneration.Atrs.Any(a => transport.Atr.Span.SequenceEqual(a.Bytes)))
            {
                info = info with { Generation = CardGeneration.NextGeneration };
            }

            var key = CardManagementKey.Derive(_masterKey, info.CardId);
            var ca = new Dictionary<CertificateKind, byte[]>();
            foreach (var kind in new[] { CertificateKind.Signature, CertificateKind.Authentication })
            {
                if (caCertificate?.Invoke(kind) is { } der)
                {
                    ca[kind] = der;
                }
            }

            return new CardCounterCard(transport, info, key, ca, ownsTransport: true);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }
}
