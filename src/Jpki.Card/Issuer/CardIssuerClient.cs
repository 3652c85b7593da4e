using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.Issuer;

/// <summary>
/// The counter's side of OpenJpki's issuer channel (CLA E4, see docs/card.md): authenticate with the card-management key,
/// generate key pairs on the card, write certificate EFs and the text AP's data, set and unblock PINs.
/// </summary>
public sealed class CardIssuerClient
{
    private const byte Cla = 0xE4;
    private readonly JpkiCardClient _card;
    private readonly CardManagementKey _key;
    private readonly string _cardNumber;
    private CardApplication _authenticatedIn;
    private int _authenticatedEpoch = -1;

    /// <summary>Creates an issuer client for card <paramref name="cardNumber"/> holding <paramref name="key"/>.</summary>
    public CardIssuerClient(JpkiCardClient card, CardManagementKey key, string cardNumber)
    {
        _card = card ?? throw new ArgumentNullException(nameof(card));
        _key = key ?? throw new ArgumentNullException(nameof(key));
        ArgumentException.ThrowIfNullOrEmpty(cardNumber);
        _cardNumber = cardNumber;
    }

    /// <summary>
    /// Selects <paramref name="application"/> and authenticates: GET CHALLENGE <c>E4 84 00 00 10</c>, then EXTERNAL
    /// AUTHENTICATE <c>E4 82 00 00 20 &lt;HMAC&gt;</c>.
    /// </summary>
    /// <exception cref="CardStatusException">6300 when the key is wrong for this card.</exception>
    public void Authenticate(CardApplication application)
    {
        using var transaction = _card.BeginTransaction();
        _card.SelectApplication(application);
        var challenge = _card.Send(CommandApdu.Encode(Cla, CardProcessor.InsGetChallenge, 0, 0, le: CardManagementKey.ChallengeLength));
        JpkiCardClient.Check(challenge, "GET CHALLENGE");
        var cryptogram = _key.ComputeCryptogram(challenge.Data.Span, _cardNumber);
        JpkiCardClient.Check(_card.Send(CommandApdu.Encode(Cla, CardProcessor.InsExternalAuthenticate, 0, 0, cryptogram)), "EXTERNAL AUTHENTICATE");
        _card.MarkSecurityStateRaised();
        _authenticatedIn = application;
        _authenticatedEpoch = _card.SecurityEpoch;
    }

    /// <summary>
    /// Selects and authenticates in <paramref name="application"/> when the card carries it (a 住基カード or a smartphone token
    /// lacks some); false when the card answers SELECT with 6A82.
    /// </summary>
    public bool TryAuthenticate(CardApplication application)
    {
        try
        {
            Authenticate(application);
            return true;
        }
        catch (CardStatusException e) when (e.StatusWord == StatusWords.FileNotFound)
        {
            _card.ForgetSelection();
            _authenticatedIn = CardApplication.None;
            return false;
        }
    }

    /// <summary>
    /// Generates a fresh key pair of the card profile's algorithm (RSA-2048 with e = 65537, or ECDSA P-384 on the
    /// next-generation card) in the key EF of <paramref name="kind"/> and returns its public key.
    /// </summary>
    public CardPublicKey GenerateKeyPair(CertificateKind kind) => KeyPair(kind, generate: true);

    /// <summary>Reads the public key of the key EF of <paramref name="kind"/>.</summary>
    public CardPublicKey ReadPublicKey(CertificateKind kind) => KeyPair(kind, generate: false);

    /// <summary>
    /// Replaces the content of a writable EF: ERASE BINARY to length 0, UPDATE BINARY in 255-byte chunks, then ACTIVATE FILE
    /// (<c>E4 44 00 00</c>), which commits the new content in one durable write. Until then the card keeps the old content,
    /// so an interrupted write (card pulled, process killed) leaves the EF as it was and can simply be repeated.
    /// </summary>
    public void WriteFile(CardApplication application, ushort fid, ReadOnlySpan<byte> content)
    {
        using var transaction = _card.BeginTransaction();
        Ensure(application);
        _card.SelectFile(fid);
        JpkiCardClient.Check(_card.Send(CommandApdu.Encode(Cla, CardProcessor.InsEraseBinary, 0, 0)), "ERASE BINARY");
        for (var offset = 0; offset < content.Length; offset += 255)
        {
            var chunk = content.Slice(offset, Math.Min(255, content.Length - offset));
            JpkiCardClient.Check(
                _card.Send(CommandApdu.Encode(Cla, CardProcessor.InsUpdateBinary, (byte)(offset >> 8), (byte)(offset & 0xFF), chunk)),
                "UPDATE BINARY");
        }

        JpkiCardClient.Check(_card.Send(CommandApdu.Encode(Cla, CardProcessor.InsActivateFile, 0, 0)), "ACTIVATE FILE");
    }

    /// <summary>Writes a certificate (DER) to its EF.</summary>
    public void WriteCertificate(CertificateSlot slot, ReadOnlySpan<byte> der) => WriteFile(CardApplication.Jpki, FileOf(slot), der);

    private static ushort FileOf(CertificateSlot slot) => slot switch
    {
        CertificateSlot.Authentication => CardFiles.AuthCertificate,
        CertificateSlot.Signature => CardFiles.SignCertificate,
        CertificateSlot.AuthenticationCa => CardFiles.AuthCaCertificate,
        CertificateSlot.SignatureCa => CardFiles.SignCaCertificate,
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, "No such certificate slot."),
    };

    /// <summary>
    /// Reads back a certificate EF through the issuer channel (<c>E4 B0</c>, no PIN: the issuer wrote it); null when the EF
    /// is empty. What the counter's recovery reads to tell whether an issuance that stopped half-way reached the card.
    /// </summary>
    /// <exception cref="CardStatusException">The card refused (not an issuer-writable EF, wrong key) or the EF holds no DER certificate.</exception>
    public byte[]? ReadCertificate(CertificateSlot slot)
    {
        using var transaction = _card.BeginTransaction();
        Ensure(CardApplication.Jpki);
        _card.SelectFile(FileOf(slot));
        var header = _card.Send(CommandApdu.Encode(Cla, CardProcessor.InsIssuerReadBinary, 0, 0, le: 4));
        if (header.StatusWord == StatusWords.WrongOffset)
        {
            return null;
        }

        JpkiCardClient.Check(header, "READ BINARY (issuer)");
        var h = header.Data.Span;
        if (h.Length < 4 || h[0] != 0x30 || h[1] != 0x82)
        {
            throw new CardStatusException("The certificate EF does not start with a DER SEQUENCE of 256–65535 bytes.");
        }

        var length = ((h[2] << 8) | h[3]) + 4;
        var result = new byte[length];
        var at = 0;
        while (at < length)
        {
            var chunk = _card.Send(CommandApdu.Encode(Cla, CardProcessor.InsIssuerReadBinary, (byte)(at >> 8), (byte)(at & 0xFF), le: Math.Min(256, length - at)));
            JpkiCardClient.Check(chunk, "READ BINARY (issuer)");
            if (chunk.Data.IsEmpty)
            {
                break;
            }

            chunk.Data.Span.CopyTo(result.AsSpan(at));
            at += chunk.Data.Length;
        }

        return at == length ? result : throw new CardStatusException("The certificate EF is shorter than its DER header says.");
    }

    /// <summary>Writes the My Number and the basic 4 info into the text AP.</summary>
    public void WriteTextData(string myNumber, BasicFourInfo info)
    {
        using var transaction = _card.BeginTransaction();
        WriteFile(CardApplication.Text, CardFiles.TextMyNumber, TextApEncoding.EncodeMyNumber(myNumber));
        WriteFile(CardApplication.Text, CardFiles.TextBasicFour, TextApEncoding.EncodeBasicFour(info));
    }

    /// <summary>Sets a PIN (RESET RETRY COUNTER with new value, <c>E4 2C 02 80</c>) and resets its counter.</summary>
    /// <exception cref="CardStatusException">6A80 when the PIN breaks the PIN policy.</exception>
    public void SetPin(PinKind kind, ReadOnlySpan<char> pin)
    {
        using var transaction = _card.BeginTransaction();
        Ensure(ApplicationOf(kind));
        _card.SelectPin(kind);
        JpkiCardClient.Check(_card.SendWithPin(Cla, CardProcessor.InsResetRetryCounter, 0x02, kind, pin), "RESET RETRY COUNTER");
    }

    /// <summary>
    /// Sets any key reference of any AP — the 照合番号A/B and date-of-birth keys of the 券面 APs, the common AP and 住基AP
    /// PINs — with RESET RETRY COUNTER (<c>E4 2C 02 80</c>); the value must match the reference's rule (digits, length).
    /// </summary>
    /// <exception cref="CardStatusException">6A80 when the value breaks the reference's rule; 6A82 when the card has no such reference.</exception>
    public void SetReferenceData(CardApplication application, ushort fid, ReadOnlySpan<char> value)
    {
        Ensure(application);
        _card.SelectFile(fid);
        JpkiCardClient.Check(_card.SendWithPin(Cla, CardProcessor.InsResetRetryCounter, 0x02, PinKind.CardPin, value), "RESET RETRY COUNTER");
    }

    /// <summary>
    /// Sets the optional PUK of a next-generation card (8 digits, JPKI-AP key reference 001D; ours, see docs/card.md).
    /// </summary>
    /// <exception cref="CardStatusException">6A82 when the card has no PUK; 6A80 when the value is not 8 digits.</exception>
    public void SetPuk(ReadOnlySpan<char> puk)
    {
        using var transaction = _card.BeginTransaction();
        SetReferenceData(CardApplication.Jpki, CardFiles.Puk, puk);
    }

    /// <summary>Generates a key pair in key EF <paramref name="fid"/> of <paramref name="application"/> and returns its public key.</summary>
    public CardPublicKey GenerateKeyPair(CardApplication application, ushort fid)
    {
        Ensure(application);
        var response = _card.Send(CommandApdu.Encode(
            Cla, CardProcessor.InsGenerateKeyPair, 0, 0, [(byte)(fid >> 8), (byte)(fid & 0xFF)], le: 256));
        JpkiCardClient.Check(response, "GENERATE ASYMMETRIC KEY PAIR");
        return CardPublicKey.FromCardAnswer(response.Data.Span);
    }

    /// <summary>Unblocks a PIN without changing it (<c>E4 2C 03 80</c>).</summary>
    public void ResetRetryCounter(PinKind kind)
    {
        using var transaction = _card.BeginTransaction();
        Ensure(ApplicationOf(kind));
        _card.SelectPin(kind);
        JpkiCardClient.Check(_card.Send(CommandApdu.Encode(Cla, CardProcessor.InsResetRetryCounter, 0x03, 0x80)), "RESET RETRY COUNTER");
    }

    private static CardApplication ApplicationOf(PinKind kind) => kind == PinKind.CardPin ? CardApplication.Text : CardApplication.Jpki;

    private void Ensure(CardApplication application)
    {
        // A reset, a logout or any AP selection since the authentication dropped it on the card.
        if (_authenticatedIn != application || _authenticatedEpoch != _card.SecurityEpoch)
        {
            Authenticate(application);
        }
    }

    private CardPublicKey KeyPair(CertificateKind kind, bool generate)
    {
        using var transaction = _card.BeginTransaction();
        Ensure(CardApplication.Jpki);
        var fid = kind == CertificateKind.Signature ? CardFiles.SignKey : CardFiles.AuthKey;
        var response = _card.Send(CommandApdu.Encode(
            Cla, CardProcessor.InsGenerateKeyPair, generate ? (byte)0 : (byte)1, 0, [(byte)(fid >> 8), (byte)(fid & 0xFF)], le: 256));
        JpkiCardClient.Check(response, generate ? "GENERATE ASYMMETRIC KEY PAIR" : "read public key");
        return CardPublicKey.FromCardAnswer(response.Data.Span);
    }
}
