using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Transport;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.Client;

/// <summary>
/// The host side of the My Number card: the APDU sequences of JPKI-REFERENCE §4.4, as OpenSC and jpki/myna send them,
/// over any <see cref="ICardTransport"/> (a real card in a PC/SC reader or a virtual card).
/// </summary>
/// <remarks>
/// The client remembers which AP it selected and does not re-select it needlessly, because selecting an AP drops every
/// verified PIN (§4.3). PINs are converted to ASCII in a scratch buffer that is zeroed after use.
/// </remarks>
public sealed class JpkiCardClient
{
    private static readonly byte[] Sha256DigestInfoPrefix = Convert.FromHexString("3031300d060960864801650304020105000420");

    private readonly ICardTransport _transport;
    private CardApplication _selected;

    /// <summary>Creates a client over <paramref name="transport"/>; the caller keeps ownership of it.</summary>
    public JpkiCardClient(ICardTransport transport) => _transport = transport ?? throw new ArgumentNullException(nameof(transport));

    /// <summary>The transport.</summary>
    public ICardTransport Transport => _transport;

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
        Check(Send(CommandApdu.Encode(0x00, 0xA4, 0x04, 0x0C, aid)), "SELECT AP");
        _selected = application;
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
    public void ForgetSelection() => _selected = CardApplication.None;

    /// <summary>SELECT EF by id (<c>00 A4 02 0C 02 FID</c>) in the current AP.</summary>
    public void SelectFile(ushort fid) =>
        Check(Send(CommandApdu.Encode(0x00, 0xA4, 0x02, 0x0C, [(byte)(fid >> 8), (byte)(fid & 0xFF)])), $"SELECT EF {fid:X4}");

    /// <summary>READ BINARY at a 15-bit offset; returns the data (may be shorter than asked at the end of the EF).</summary>
    public ResponseApdu ReadBinary(int offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, 0x7FFF);
        return Send(CommandApdu.Encode(0x00, 0xB0, (byte)(offset >> 8), (byte)(offset & 0xFF), le: Math.Clamp(length, 1, 256)));
    }

    /// <summary>Reads <paramref name="length"/> bytes of the current EF in ≤ 256-byte chunks.</summary>
    public byte[] ReadCurrent(int length)
    {
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
        EnsureApplication(CardApplication.Jpki);
        SelectFile(CardFiles.TokenInfo);
        return ReadCurrent(TokenInfo.Length);
    }

    /// <summary>The retry counter of a PIN, by the empty VERIFY (<c>00 20 00 80</c> → <c>63 Cx</c>).</summary>
    public int GetTriesLeft(PinKind pin)
    {
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
    public PinVerification Verify(PinKind kind, ReadOnlySpan<char> pin)
    {
        SelectPin(kind);
        var response = SendWithPin(0x00, 0x20, 0x00, kind, pin);
        if (response.IsSuccess)
        {
            return new PinVerification(true, PinPolicy.For(kind).MaxTries, false);
        }

        if (response.StatusWord == StatusWords.PinBlocked)
        {
            return new PinVerification(false, 0, true);
        }

        if (response.Sw1 == 0x63 && (response.Sw2 & 0xF0) == 0xC0)
        {
            var left = response.Sw2 & 0x0F;
            return new PinVerification(false, left, left == 0);
        }

        throw new CardStatusException("VERIFY", response.StatusWord);
    }

    /// <summary>
    /// Changes a PIN: VERIFY the current one, then CHANGE REFERENCE DATA <c>00 24 01 80</c> with the new one.
    /// Returns the verification of the current PIN; the new PIN is set only when it was verified.
    /// </summary>
    /// <exception cref="CardStatusException">6A80 when the new PIN breaks the card's PIN rules.</exception>
    public PinVerification ChangePin(PinKind kind, ReadOnlySpan<char> currentPin, ReadOnlySpan<char> newPin)
    {
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
    public byte[] SignDigestInfo(CertificateKind kind, ReadOnlySpan<byte> digestInfo)
    {
        EnsureApplication(CardApplication.Jpki);
        SelectFile(kind == CertificateKind.Signature ? CardFiles.SignKey : CardFiles.AuthKey);
        var response = Send(CommandApdu.Encode(0x80, 0x2A, 0x00, 0x80, digestInfo, le: 256));
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

    /// <summary>Reads the My Number from the text AP (the card PIN must have been verified there).</summary>
    public string? ReadMyNumber()
    {
        EnsureApplication(CardApplication.Text);
        SelectFile(CardFiles.TextMyNumber);
        var response = ReadBinary(0, TextApEncoding.MyNumberEfLength);
        Check(response, "READ BINARY");
        return TextApEncoding.DecodeMyNumber(response.Data.Span);
    }

    /// <summary>Reads the basic 4 info from the text AP (the card PIN must have been verified there).</summary>
    public BasicFourInfo? ReadBasicFour()
    {
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

    internal ResponseApdu SendWithPin(byte cla, byte ins, byte p1, PinKind kind, ReadOnlySpan<char> pin)
    {
        if (pin.IsEmpty || pin.Length > 16)
        {
            throw new ArgumentException("A PIN has 1 to 16 characters.", nameof(pin));
        }

        Span<byte> ascii = stackalloc byte[pin.Length];
        byte[]? apdu = null;
        try
        {
            for (var i = 0; i < pin.Length; i++)
            {
                var c = kind == PinKind.SignaturePassword ? char.ToUpperInvariant(pin[i]) : pin[i];
                if (c > 0x7E || c < 0x21)
                {
                    throw new ArgumentException("A PIN is printable ASCII.", nameof(pin));
                }

                ascii[i] = (byte)c;
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

    internal static void Check(ResponseApdu response, string operation)
    {
        if (!response.IsSuccess)
        {
            throw new CardStatusException(operation, response.StatusWord);
        }
    }
}
