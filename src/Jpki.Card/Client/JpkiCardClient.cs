using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Transport;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Signatures;

namespace Jpki.Card.Client;

/// <summary>
/// The host side of the My Number card: the APDU sequences of JPKI-REFERENCE §4.4, as OpenSC and jpki/myna send them,
/// over any <see cref="ICardTransport"/> (a real card in a PC/SC reader or a virtual card).
/// </summary>
/// <remarks>
/// <para>The client remembers which AP it selected and does not re-select it needlessly, because selecting an AP drops
/// every verified PIN (§4.3). PINs are converted to ASCII in a scratch buffer that is zeroed after use.</para>
/// <para>On a shared reader other applications can send APDUs to the same card. Every method runs in a transaction
/// (<see cref="BeginTransaction"/>), so a multi-APDU operation such as reading a certificate is never interleaved; an
/// operation made of several calls — VERIFY, then SIGN — must be wrapped in one explicit transaction by the caller,
/// and should end with <see cref="Logout"/> so that the verified PIN does not outlive it. When the card was reset by
/// another application the client forgets its selection and selects again.</para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed class JpkiCardClient
{
    private static readonly byte[] Sha256DigestInfoPrefix = Convert.FromHexString("3031300d060960864801650304020105000420");

    private readonly ICardTransport _transport;
    private CardApplication _selected;
    private int _transactionDepth;
    private bool _stateRaised;

    /// <summary>Creates a client over <paramref name="transport"/>; the caller keeps ownership of it.</summary>
    public JpkiCardClient(ICardTransport transport) => _transport = transport ?? throw new ArgumentNullException(nameof(transport));

    /// <summary>The transport.</summary>
    public ICardTransport Transport => _transport;

    /// <summary>True while a PIN verified (or an issuer authentication made) through this client is in force on the card.</summary>
    public bool SecurityStateRaised => _stateRaised;

    /// <summary>How many times the card's security state was dropped under this client (AP selected, card reset, logout).</summary>
    internal int SecurityEpoch { get; private set; }

    /// <summary>
    /// Begins a transaction: until the returned object is disposed, no other application's APDU reaches the card
    /// (PC/SC <c>SCardBeginTransaction</c>; nothing for a card in this process). Nestable. If the card was reset since
    /// the last transaction, the client forgets its selected AP and verified PINs and selects again when needed.
    /// Keep transactions short and never wait for a person inside one (Windows resets a card held idle for 5 s).
    /// </summary>
    /// <exception cref="CardTransportException">The card was removed or the reader failed.</exception>
    public CardTransaction BeginTransaction()
    {
        if (_transactionDepth == 0)
        {
            if (_transport.BeginTransaction())
            {
                DropSecurityState(); // reset: nothing we selected or verified is left
            }
            else if (_transport.IsShared)
            {
                // Another application may have selected another AP since our last transaction: select again before use.
                // A PIN we verified may still be in force, so Logout still drops it.
                _selected = CardApplication.None;
                SecurityEpoch++;
            }
        }

        _transactionDepth++;
        return new CardTransaction(this);
    }

    /// <summary>
    /// Drops the security state this client raised (verified PINs, issuer authentication) by selecting the current AP
    /// again, as OpenSC's <c>jpki_logout</c> does (JPKI-REFERENCE §4.3). Does nothing when no PIN is verified.
    /// </summary>
    /// <exception cref="CardTransportException">The card or reader could not be reached.</exception>
    public void Logout()
    {
        if (!_stateRaised)
        {
            return;
        }

        using var transaction = BeginTransaction();
        if (_stateRaised)
        {
            SelectApplication(_selected == CardApplication.None ? CardApplication.Jpki : _selected);
        }
    }

    /// <summary>Records that the card now holds security state raised by this client (issuer authentication).</summary>
    internal void MarkSecurityStateRaised() => _stateRaised = true;

    internal void EndTransaction()
    {
        if (_transactionDepth == 0)
        {
            return;
        }

        _transactionDepth--;
        if (_transactionDepth == 0)
        {
            try
            {
                _transport.EndTransaction();
            }
            catch (CardTransportException)
            {
                // The card went away mid-release; PC/SC drops the lock with the connection.
            }
        }
    }

    /// <summary>Sends one APDU and parses the response.</summary>
    public ResponseApdu Send(ReadOnlySpan<byte> apdu)
    {
        var raw = _transport.Transmit(apdu);
        if (!ResponseApdu.TryParse(raw, out var response))
        {
            throw new CardTransportException("The card answered fewer than two bytes.");
        }

        return response;
    }

    /// <summary>SELECT the AP by DF name (<c>00 A4 04 0C</c>), always sending it; drops the security state.</summary>
    /// <exception cref="CardStatusException">Not a card with this AP (6A82).</exception>
    public void SelectApplication(CardApplication application)
    {
        var aid = CardAids.Of(application);
        using var transaction = BeginTransaction();
        Check(Send(CommandApdu.Encode(0x00, 0xA4, 0x04, 0x0C, aid)), "SELECT AP");
        _selected = application;
        _stateRaised = false;
        SecurityEpoch++;
    }

    /// <summary>Selects <paramref name="application"/> unless it is already selected.</summary>
    public void EnsureApplication(CardApplication application)
    {
        if (_selected != application)
        {
            SelectApplication(application);
        }
    }

    /// <summary>Forgets which AP is selected, e.g. after the card was reset.</summary>
    public void ForgetSelection() => DropSecurityState();

    private void DropSecurityState()
    {
        _selected = CardApplication.None;
        _stateRaised = false;
        SecurityEpoch++;
    }

    /// <summary>SELECT EF by id (<c>00 A4 02 0C 02 FID</c>) in the current AP.</summary>
    public void SelectFile(ushort fid)
    {
        using var transaction = BeginTransaction();
        Check(Send(CommandApdu.Encode(0x00, 0xA4, 0x02, 0x0C, [(byte)(fid >> 8), (byte)(fid & 0xFF)])), $"SELECT EF {fid:X4}");
    }

    /// <summary>READ BINARY at a 15-bit offset; returns the data (may be shorter than asked at the end of the EF).</summary>
    public ResponseApdu ReadBinary(int offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, 0x7FFF);
        using var transaction = BeginTransaction();
        return Send(CommandApdu.Encode(0x00, 0xB0, (byte)(offset >> 8), (byte)(offset & 0xFF), le: Math.Clamp(length, 1, 256)));
    }

    /// <summary>Reads <paramref name="length"/> bytes of the current EF in ≤ 256-byte chunks.</summary>
    public byte[] ReadCurrent(int length)
    {
        using var transaction = BeginTransaction();
        var result = new byte[length];
        var at = 0;
        while (at < length)
        {
            var response = ReadBinary(at, Math.Min(256, length - at));
            Check(response, "READ BINARY");
            if (response.Data.IsEmpty)
            {
                break;
            }

            response.Data.Span.CopyTo(result.AsSpan(at));
            at += response.Data.Length;
        }

        return at == length ? result : result[..at];
    }

    /// <summary>
    /// Reads a certificate EF the way OpenSC does: 4 header bytes <c>30 82 LL LL</c>, then the rest in 256-byte chunks.
    /// Returns null when the EF is empty (not issued).
    /// </summary>
    /// <exception cref="CardStatusException">6982 for the signature certificate without the password.</exception>
    public byte[]? ReadCertificate(CertificateSlot slot)
    {
        using var transaction = BeginTransaction();
        EnsureApplication(CardApplication.Jpki);
        SelectFile(slot switch
        {
            CertificateSlot.Authentication => CardFiles.AuthCertificate,
            CertificateSlot.Signature => CardFiles.SignCertificate,
            CertificateSlot.AuthenticationCa => CardFiles.AuthCaCertificate,
            CertificateSlot.SignatureCa => CardFiles.SignCaCertificate,
            _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, "No such certificate slot."),
        });
        var header = ReadBinary(0, 4);
        if (header.StatusWord == StatusWords.WrongOffset)
        {
            return null;
        }

        Check(header, "READ BINARY");
        var h = header.Data.Span;
        if (h.Length < 4 || h[0] != 0x30 || h[1] != 0x82)
        {
            throw new CardStatusException("The certificate EF does not start with a DER SEQUENCE of 256–65535 bytes.");
        }

        return ReadCurrent(((h[2] << 8) | h[3]) + 4);
    }

    /// <summary>Reads EF 0006, the 160-byte token info.</summary>
    public byte[] ReadTokenInfo()
    {
        using var transaction = BeginTransaction();
        EnsureApplication(CardApplication.Jpki);
        SelectFile(CardFiles.TokenInfo);
        return ReadCurrent(TokenInfo.Length);
    }

    /// <summary>The retry counter of a PIN, by the empty VERIFY (<c>00 20 00 80</c> → <c>63 Cx</c>).</summary>
    public int GetTriesLeft(PinKind pin)
    {
        using var transaction = BeginTransaction();
        SelectPin(pin);
        var response = Send(CommandApdu.Encode(0x00, 0x20, 0x00, 0x80));
        if (response.Sw1 == 0x63 && (response.Sw2 & 0xF0) == 0xC0)
        {
            return response.Sw2 & 0x0F;
        }

        Check(response, "VERIFY (retry query)");
        return -1; // 9000: some cards answer so after a successful VERIFY; the count is unknown
    }

    /// <summary>
    /// The retry counter of any key reference: <paramref name="fid"/> in <paramref name="application"/> (e.g. the text AP's
    /// 照合番号A <c>0014</c>), by the empty VERIFY, as <c>myna pin status</c> asks.
    /// </summary>
    /// <returns>Tries left; -1 when the card answers 9000 (some cards do after a successful VERIFY).</returns>
    /// <exception cref="CardStatusException">No such AP or reference on this card (6A82).</exception>
    public int GetTriesLeft(CardApplication application, ushort fid)
    {
        using var transaction = BeginTransaction();
        EnsureApplication(application);
        SelectFile(fid);
        var response = Send(CommandApdu.Encode(0x00, 0x20, 0x00, 0x80));
        if (response.Sw1 == 0x63 && (response.Sw2 & 0xF0) == 0xC0)
        {
            return response.Sw2 & 0x0F;
        }

        Check(response, "VERIFY (retry query)");
        return -1;
    }

    /// <summary>
    /// VERIFY <paramref name="pin"/> against the PIN EF of <paramref name="kind"/> (the signature password is uppercased
    /// first, as the client software does). The PIN is never logged or kept.
    /// </summary>
    /// <exception cref="ArgumentException">The PIN is empty, longer than 16 characters or not printable ASCII (nothing is sent).</exception>
    public PinVerification Verify(PinKind kind, ReadOnlySpan<char> pin)
    {
        CheckPinArgument(pin, kind, nameof(pin));
        using var transaction = BeginTransaction();
        SelectPin(kind);
        var response = SendWithPin(0x00, 0x20, 0x00, kind, pin);
        if (response.IsSuccess)
        {
            _stateRaised = true;
            return new PinVerification(true, PinPolicy.For(kind).MaxTries, false);
        }

        return Refusal(response, "VERIFY");
    }

    /// <summary>A refused VERIFY or PUK: blocked (<c>69 84</c>) or <c>63 Cx</c> with x tries left; anything else throws.</summary>
    private static PinVerification Refusal(ResponseApdu response, string operation)
    {
        if (response.StatusWord == StatusWords.PinBlocked)
        {
            return new PinVerification(false, 0, true);
        }

        if (response.Sw1 == 0x63 && (response.Sw2 & 0xF0) == 0xC0)
        {
            var left = response.Sw2 & 0x0F;
            return new PinVerification(false, left, left == 0);
        }

        throw new CardStatusException(operation, response.StatusWord);
    }

    /// <summary>
    /// Changes a PIN: VERIFY the current one, then CHANGE REFERENCE DATA <c>00 24 01 80</c> with the new one.
    /// Returns the verification of the current PIN; the new PIN is set only when it was verified.
    /// </summary>
    /// <exception cref="CardStatusException">6A80 when the new PIN breaks the card's PIN rules.</exception>
    public PinVerification ChangePin(PinKind kind, ReadOnlySpan<char> currentPin, ReadOnlySpan<char> newPin)
    {
        CheckPinArgument(currentPin, kind, nameof(currentPin));
        CheckPinArgument(newPin, kind, nameof(newPin));
        using var transaction = BeginTransaction();
        var verification = Verify(kind, currentPin);
        if (!verification.Verified)
        {
            return verification;
        }

        Check(SendWithPin(0x00, 0x24, 0x01, kind, newPin), "CHANGE REFERENCE DATA");
        return verification;
    }

    /// <summary>
    /// COMPUTE DIGITAL SIGNATURE <c>80 2A 00 80</c> with the key of <paramref name="kind"/> over
    /// <paramref name="digestInfo"/> (the card pads it with PKCS#1 v1.5). The PIN must have been verified.
    /// </summary>
    /// <exception cref="CardStatusException">6982 without the PIN; 6700 for more than 245 bytes.</exception>
    public byte[] SignDigestInfo(CertificateKind kind, ReadOnlySpan<byte> digestInfo) => ComputeSignature(kind, digestInfo);

    /// <summary>
    /// COMPUTE DIGITAL SIGNATURE <c>80 2A 00 80</c> with an ECDSA P-384 key (the next-generation card) over
    /// <paramref name="hash"/> (SHA-384 in the profile): the card answers r‖s, 96 bytes (IEEE P1363; ours, see
    /// docs/card.md). The PIN must have been verified. The answer is returned in low-S form (s ≤ n/2; when the card
    /// answers s &gt; n/2 the equally valid (r, n − s)), so every signature this client makes has one spelling: the
    /// login token (ES384) refuses any other.
    /// </summary>
    /// <exception cref="ArgumentException">The hash is not 20–64 bytes.</exception>
    /// <exception cref="CardStatusException">6982 without the PIN.</exception>
    public byte[] SignEcdsaHash(CertificateKind kind, ReadOnlySpan<byte> hash)
    {
        if (hash.Length is < 20 or > 64)
        {
            throw new ArgumentException("A hash has 20 to 64 bytes.", nameof(hash));
        }

        var signature = ComputeSignature(kind, hash);
        if (signature.Length != 96)
        {
            throw new CryptographicException($"The card answered a {signature.Length}-byte signature; an ECDSA P-384 key answers r‖s of 96 bytes.");
        }

        return P384Signature.ToLowS(signature);
    }

    private byte[] ComputeSignature(CertificateKind kind, ReadOnlySpan<byte> input)
    {
        using var transaction = BeginTransaction();
        EnsureApplication(CardApplication.Jpki);
        SelectFile(kind == CertificateKind.Signature ? CardFiles.SignKey : CardFiles.AuthKey);
        var response = Send(CommandApdu.Encode(0x80, 0x2A, 0x00, 0x80, input, le: 256));
        Check(response, "COMPUTE DIGITAL SIGNATURE");
        return response.Data.ToArray();
    }

    /// <summary>Signs a SHA-256 hash: builds the DER DigestInfo and calls <see cref="SignDigestInfo"/>.</summary>
    public byte[] SignSha256Hash(CertificateKind kind, ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != 32)
        {
            throw new ArgumentException("A SHA-256 hash has 32 bytes.", nameof(sha256));
        }

        return SignDigestInfo(kind, [.. Sha256DigestInfoPrefix, .. sha256]);
    }

    /// <summary>Hashes <paramref name="data"/> with SHA-256 and signs it (sha256WithRSAEncryption).</summary>
    public byte[] SignSha256(CertificateKind kind, ReadOnlySpan<byte> data) => SignSha256Hash(kind, SHA256.HashData(data));

    /// <summary>
    /// Signs <paramref name="data"/> with the key of <paramref name="kind"/> in the form its certificate on the card calls
    /// for: sha256WithRSAEncryption (PKCS#1 v1.5, 256 bytes) for today's RSA-2048 card, ecdsa-with-SHA384 (X9.62 DER
    /// <c>SEQUENCE { r, s }</c>, what X.509, CMS and <c>openssl dgst -verify</c> take) for the next-generation P-384 card.
    /// The PIN must have been verified (the signature certificate is read behind it).
    /// </summary>
    /// <exception cref="CardStatusException">The certificate EF is empty (not issued), or 6982 without the PIN.</exception>
    public (byte[] Signature, string Algorithm) SignData(CertificateKind kind, ReadOnlySpan<byte> data)
    {
        using var transaction = BeginTransaction();
        var der = ReadCertificate(kind == CertificateKind.Signature ? CertificateSlot.Signature : CertificateSlot.Authentication)
            ?? throw new CardStatusException("The card holds no certificate for this key (not issued).");
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
        if (certificate.PublicKey.Oid.Value == "1.2.840.10045.2.1")
        {
            var raw = SignEcdsaHash(kind, SHA384.HashData(data));
            return (EcdsaSignature.ToDer(raw), "ecdsa-with-SHA384");
        }

        return (SignSha256(kind, data), "sha256WithRSAEncryption");
    }

    /// <summary>Reads the My Number from the text AP (the card PIN must have been verified there).</summary>
    public string? ReadMyNumber()
    {
        using var transaction = BeginTransaction();
        EnsureApplication(CardApplication.Text);
        SelectFile(CardFiles.TextMyNumber);
        var response = ReadBinary(0, TextApEncoding.MyNumberEfLength);
        Check(response, "READ BINARY");
        return TextApEncoding.DecodeMyNumber(response.Data.Span);
    }

    /// <summary>Reads the basic 4 info from the text AP (the card PIN must have been verified there).</summary>
    public BasicFourInfo? ReadBasicFour()
    {
        using var transaction = BeginTransaction();
        EnsureApplication(CardApplication.Text);
        SelectFile(CardFiles.TextBasicFour);
        var header = ReadBinary(0, 4);
        Check(header, "READ BINARY");
        var h = header.Data.Span;
        if (h.Length < 3 || h[0] != 0xFF || h[1] != 0x20)
        {
            return null;
        }

        int total = h[2] switch
        {
            < 0x80 => 3 + h[2],
            0x81 => 4 + h[3],
            0x82 when h.Length >= 4 => ReadLength2(),
            _ => 0,
        };
        return total == 0 ? null : TextApEncoding.DecodeBasicFour(ReadCurrent(total));

        int ReadLength2()
        {
            var more = ReadBinary(4, 1);
            Check(more, "READ BINARY");
            return 5 + ((header.Data.Span[3] << 8) | more.Data.Span[0]);
        }
    }

    /// <summary>Selects the AP and the PIN EF of <paramref name="kind"/>.</summary>
    public void SelectPin(PinKind kind)
    {
        using var transaction = BeginTransaction();
        switch (kind)
        {
            case PinKind.AuthenticationPin:
                EnsureApplication(CardApplication.Jpki);
                SelectFile(CardFiles.AuthPin);
                break;
            case PinKind.SignaturePassword:
                EnsureApplication(CardApplication.Jpki);
                SelectFile(CardFiles.SignPin);
                break;
            case PinKind.CardPin:
                EnsureApplication(CardApplication.Text);
                SelectFile(CardFiles.TextPin);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "No such PIN.");
        }
    }

    /// <summary>
    /// Unblocks the JPKI-AP PIN <paramref name="kind"/> with the PUK (next-generation card; RESET RETRY COUNTER
    /// <c>00 2C 01 80 PUK</c>, or <c>00 2C 00 80 PUK ‖ new PIN</c> when <paramref name="newPin"/> is given — ours, see
    /// docs/card.md). Returns the PUK's verification: its tries left when wrong, blocked after the last.
    /// </summary>
    /// <exception cref="CardStatusException">
    /// 6985 when the card's PUK was never set, 6D00 when the card has none, 6A80 when the new PIN breaks the PIN's rule.
    /// </exception>
    public PinVerification UnblockWithPuk(PinKind kind, ReadOnlySpan<char> puk, ReadOnlySpan<char> newPin = default)
    {
        if (kind == PinKind.CardPin)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "The PUK unblocks the authentication PIN and the signature password.");
        }

        CheckPinArgument(puk, PinKind.CardPin, nameof(puk));
        if (!newPin.IsEmpty)
        {
            CheckPinArgument(newPin, kind, nameof(newPin));
        }

        using var transaction = BeginTransaction();
        SelectPin(kind);
        var data = new byte[puk.Length + newPin.Length];
        byte[]? apdu = null;
        try
        {
            for (var i = 0; i < puk.Length; i++)
            {
                data[i] = (byte)puk[i];
            }

            for (var i = 0; i < newPin.Length; i++)
            {
                data[puk.Length + i] = (byte)AsSent(kind, newPin[i]);
            }

            apdu = CommandApdu.Encode(0x00, 0x2C, newPin.IsEmpty ? (byte)0x01 : (byte)0x00, 0x80, data);
            var response = Send(apdu);
            return response.IsSuccess ? new PinVerification(true, 0, false) : Refusal(response, "RESET RETRY COUNTER");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
            if (apdu is not null)
            {
                CryptographicOperations.ZeroMemory(apdu);
            }
        }
    }

    internal ResponseApdu SendWithPin(byte cla, byte ins, byte p1, PinKind kind, ReadOnlySpan<char> pin)
    {
        CheckPinArgument(pin, kind, nameof(pin));
        Span<byte> ascii = stackalloc byte[pin.Length];
        byte[]? apdu = null;
        try
        {
            for (var i = 0; i < pin.Length; i++)
            {
                ascii[i] = (byte)AsSent(kind, pin[i]);
            }

            apdu = CommandApdu.Encode(cla, ins, p1, 0x80, ascii);
            return Send(apdu);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ascii);
            if (apdu is not null)
            {
                CryptographicOperations.ZeroMemory(apdu);
            }
        }
    }

    /// <summary>The wire form of a PIN is 1–16 printable ASCII characters (the signature password uppercased).</summary>
    private static void CheckPinArgument(ReadOnlySpan<char> pin, PinKind kind, string paramName)
    {
        if (pin.IsEmpty || pin.Length > 16)
        {
            throw new ArgumentException("A PIN has 1 to 16 characters.", paramName);
        }

        foreach (var c in pin)
        {
            var sent = AsSent(kind, c);
            if (sent > 0x7E || sent < 0x21)
            {
                throw new ArgumentException("A PIN is printable ASCII.", paramName);
            }
        }
    }

    private static char AsSent(PinKind kind, char c) => kind == PinKind.SignaturePassword ? char.ToUpperInvariant(c) : c;

    internal static void Check(ResponseApdu response, string operation)
    {
        if (!response.IsSuccess)
        {
            throw new CardStatusException(operation, response.StatusWord);
        }
    }
}
