using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Cards;

/// <summary>
/// <see cref="ICounterCard"/> over the real card stack: <see cref="JpkiCardClient"/> for the card PIN (text AP VERIFY)
/// and <see cref="CardIssuerClient"/> (OpenJpki's issuer channel, CLA E4) for key generation on the card, certificate
/// EFs and PINs. Works over any transport: a virtual card file in this process or a card in a PC/SC reader.
/// Disposing it logs out of the card and closes the transport when it owns it (a virtual card file is unlocked).
/// </summary>
public sealed class CardCounterCard : ICounterCard, IDisposable
{
    private readonly ICardTransport _transport;
    private readonly JpkiCardClient _client;
    private readonly CardManagementKey _key;
    private readonly CardInfo _info;
    private readonly IReadOnlyDictionary<CertificateKind, byte[]> _caCertificates;
    private readonly bool _ownsTransport;
    private readonly Lock _gate = new();
    private CardIssuerClient? _issuer;
    private bool _disposed;

    /// <summary>Wraps an open transport.</summary>
    /// <param name="transport">The card connection.</param>
    /// <param name="info">What the card is (number, kind, expiry) — from the card file, or from the card register for a PC/SC card.</param>
    /// <param name="managementKey">The card's management key (derived from the authority's master key); owned by this object.</param>
    /// <param name="caCertificates">CA certificates written next to each end-entity certificate (EF 0002 / 000B); may be empty.</param>
    /// <param name="ownsTransport">Dispose the transport with this object.</param>
    public CardCounterCard(ICardTransport transport, CardInfo info, CardManagementKey managementKey, IReadOnlyDictionary<CertificateKind, byte[]>? caCertificates = null, bool ownsTransport = true)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(managementKey);
        _transport = transport;
        _client = new JpkiCardClient(transport);
        _info = info;
        _key = managementKey;
        _caCertificates = caCertificates ?? new Dictionary<CertificateKind, byte[]>();
        _ownsTransport = ownsTransport;
    }

    /// <summary>The transport's name (file or reader), for people.</summary>
    public string Name => _transport.Name;

    /// <summary>The card client on the same connection (reading certificates, signing in tests).</summary>
    public JpkiCardClient Client => _client;

    /// <inheritdoc/>
    public Task<CardInfo> ReadInfoAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.FromResult(_info);
    }

    /// <inheritdoc/>
    public Task<PinCheck> VerifyCardPinAsync(SecretPin pin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var chars = pin.Reveal();
            if (chars.IsEmpty || chars.Length > 16)
            {
                return Task.FromResult(PinCheck.Wrong(_client.GetTriesLeft(PinKind.CardPin)));
            }

            // Selecting the text AP ends any issuer authentication in the JPKI-AP: authenticate again next time.
            _issuer = null;

            // The card PIN only proves the resident is present: it is checked and logged out in one transaction, so
            // it is never left verified on a card other applications can reach.
            using var transaction = _client.BeginTransaction();
            PinVerification verification;
            try
            {
                verification = _client.Verify(PinKind.CardPin, chars);
            }
            catch (CardStatusException e) when (e.StatusWord == StatusWords.ConditionsNotSatisfied)
            {
                // 6985: the card PIN was never set (a sandbox card made by `jpki card new`). A result, not a failure.
                return Task.FromResult(PinCheck.Unset(PinPolicy.For(PinKind.CardPin).MaxTries));
            }

            _client.Logout();
            return Task.FromResult(verification.Verified
                ? PinCheck.Ok(verification.TriesLeft)
                : new PinCheck(false, verification.Blocked ? 0 : verification.TriesLeft));
        }
    }

    /// <inheritdoc/>
    public Task<byte[]> GenerateKeyPairAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Issuer().GenerateKeyPair(kind).SubjectPublicKeyInfo);
        }
    }

    /// <inheritdoc/>
    public Task WriteCertificateAsync(CertificateKind kind, ReadOnlyMemory<byte> der, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // The CA certificate first: the end-entity certificate is the commit point the counter's recovery reads back.
            var issuer = Issuer();
            if (_caCertificates.TryGetValue(kind, out var ca))
            {
                issuer.WriteCertificate(kind == CertificateKind.Signature ? CertificateSlot.SignatureCa : CertificateSlot.AuthenticationCa, ca);
            }

            issuer.WriteCertificate(kind == CertificateKind.Signature ? CertificateSlot.Signature : CertificateSlot.Authentication, der.Span);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<byte[]?> ReadCertificateAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Issuer().ReadCertificate(kind == CertificateKind.Signature ? CertificateSlot.Signature : CertificateSlot.Authentication));
        }
    }

    /// <inheritdoc/>
    public Task SetPinAsync(PinKind kind, SecretPin pin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Issuer().SetPin(kind, pin.Reveal());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<PukCheck> UnblockWithPukAsync(PinKind kind, SecretPin puk, SecretPin newPin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(puk);
        ArgumentNullException.ThrowIfNull(newPin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PinVerification answer;
            try
            {
                answer = _client.UnblockWithPuk(kind, puk.Reveal(), newPin.Reveal());
            }
            catch (CardStatusException e) when (e.StatusWord == StatusWords.ConditionsNotSatisfied)
            {
                // 6985: the card has the PUK's reference, but the PUK was never set (it is optional). Nothing was counted.
                return Task.FromResult(new PukCheck(PukOutcome.NotSet, 0));
            }
            catch (CardStatusException e) when (e.StatusWord is StatusWords.InsNotSupported or StatusWords.FileNotFound)
            {
                // 6D00: today's card has no RESET RETRY COUNTER for the holder (and no PUK).
                return Task.FromResult(PukCheck.NoPuk);
            }

            return Task.FromResult(answer switch
            {
                { Verified: true } => new PukCheck(PukOutcome.Unblocked, PukPolicy.MaxTries),
                { Blocked: true } => new PukCheck(PukOutcome.Blocked, 0),
                _ => new PukCheck(PukOutcome.Wrong, answer.TriesLeft),
            });
        }
    }

    /// <summary>
    /// Drops the issuer authentication on the card (selects the AP again), closes the connection (when owned; a PC/SC
    /// card is left in its reader for other applications) and zeroes the management key.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _client.Logout();
            }
            catch (Exception e) when (e is CardTransportException or CardStatusException)
            {
                // The card is gone: nothing is left on it to drop.
            }

            _key.Dispose();
            if (_ownsTransport)
            {
                _transport.Dispose();
            }
        }
    }

    private CardIssuerClient Issuer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _issuer ??= new CardIssuerClient(_client, _key, _info.CardId);
    }
}
