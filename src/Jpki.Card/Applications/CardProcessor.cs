using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Profiles;
using Jpki.Card.Virtual;

namespace Jpki.Card.Applications;

/// <summary>
/// The card's operating system: the applications of the card's <see cref="CardProfile"/> behind one APDU interface, plus
/// OpenJpki's issuer channel. Volatile security state (selected AP and EF, verified PINs, issuer authentication) lives
/// here; persistent state lives in the <see cref="CardImage"/> and is handed to the <see cref="ICardImageSink"/> whenever
/// it changes.
/// </summary>
internal sealed partial class CardProcessor : IDisposable
{
    private const byte ClaStandard = 0x00;
    private const byte ClaProprietary = 0x80;

    /// <summary>OpenJpki's issuer-channel class byte: proprietary, used by no other card driver's probes.</summary>
    internal const byte ClaIssuer = 0xE4;

    private const byte InsSelect = 0xA4;
    private const byte InsReadBinary = 0xB0;
    private const byte InsReadRecord = 0xB2;
    private const byte InsVerify = 0x20;
    private const byte InsChangeReferenceData = 0x24;
    private const byte InsChangeKey = 0x32;
    private const byte InsPerformSecurityOperation = 0x2A;
    private const byte InsInternalAuthenticate = 0x88;
    private const byte InsGetData = 0xCA;
    private const byte InsLastCommand = 0xFC;

    private readonly object _gate = new();
    private readonly CardImage _image;
    private readonly CardProfile _profile;
    private readonly ICardImageSink _sink;
    private readonly CardOptions _options;
    private readonly Dictionary<(CardApplication, ushort), CardKey> _keys = [];
    private readonly HashSet<ushort> _verified = [];
    private CardApplication _application;
    private ushort? _currentEf;
    private bool _issuerAuthenticated;
    private byte[]? _challenge;
    private StagedFile? _staged;

    public CardProcessor(CardImage image, ICardImageSink sink, CardOptions? options = null)
    {
        _image = image ?? throw new ArgumentNullException(nameof(image));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _options = options ?? new CardOptions();
        _profile = CardProfile.Find(image.Profile) ?? throw new ArgumentException($"Unknown card profile '{image.Profile}'.", nameof(image));
    }

    public CardImage Image => _image;

    public CardProfile Profile => _profile;

    /// <summary>Processes one command APDU. Malformed input answers 6700; it never throws on the bytes it is given.</summary>
    public byte[] Transmit(ReadOnlySpan<byte> command)
    {
        lock (_gate)
        {
            if (!CommandApdu.TryParse(command, out var apdu))
            {
                return ResponseApdu.Status(StatusWords.WrongLength).ToArray();
            }

            try
            {
                return Process(apdu).ToArray();
            }
            finally
            {
                // The parsed copy of the data may hold a PIN (VERIFY, CHANGE, RESET RETRY COUNTER): wipe it.
                if (MemoryMarshal.TryGetArray(apdu.Data, out var segment) && segment.Array is { } array)
                {
                    CryptographicOperations.ZeroMemory(array);
                }
            }
        }
    }

    /// <summary>Clears the volatile state, as a power-off, power-on or reset does.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            ClearSecurityState();
            _application = CardApplication.None;
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }

    private ApplicationLayout? Layout => _profile.Layout(_application);

    private FileEntry? Entry(ushort fid) => Layout?.Find(fid);

    private ResponseApdu Process(in CommandApdu apdu)
    {
        var cla = apdu.Cla;
        if ((cla & 0x80) == 0 && (cla & 0x0C) != 0)
        {
            // Secure messaging is not offered on these APs (JPKI-REFERENCE §4 [R MC]).
            return Status(apdu.Ins == InsSelect ? StatusWords.SecureMessagingNotSupported : StatusWords.SecureMessagingClass);
        }

        try
        {
            return cla switch
            {
                ClaStandard => apdu.Ins switch
                {
                    InsSelect => Select(apdu),
                    InsReadBinary => ReadBinary(apdu),
                    InsReadRecord => ReadRecord(apdu),
                    InsVerify => Verify(apdu),
                    InsChangeReferenceData => ChangePin(apdu, changeKey: false),
                    InsResetRetryCounter => ResetWithPuk(apdu),
                    InsGetChallenge => GetChallenge(apdu, CardChallengeMaximum, issuer: false),
                    InsGetData => GetData(apdu),
                    InsInternalAuthenticate => InternalAuthenticate(apdu),
                    _ => Status(StatusWords.InsNotSupported),
                },
                ClaProprietary => apdu.Ins switch
                {
                    InsPerformSecurityOperation => ComputeSignature(apdu),
                    InsChangeKey => ChangePin(apdu, changeKey: true),
                    InsLastCommand => LastCommand(apdu),
                    _ => Status(StatusWords.InsNotSupported),
                },
                ClaIssuer => ProcessIssuer(apdu),
                _ => Status(StatusWords.ClaNotSupported),
            };
        }
        catch (IOException)
        {
            // The card file could not be made durable: report a memory failure instead of pretending success.
            return Status(StatusWords.MemoryFailure);
        }
        catch (UnauthorizedAccessException)
        {
            return Status(StatusWords.MemoryFailure);
        }
        catch (CryptographicException)
        {
            return Status(0x6F00);
        }
    }

    private static ResponseApdu Status(ushort sw) => ResponseApdu.Status(sw);

    private void ClearSecurityState()
    {
        _currentEf = null;
        _verified.Clear();
        _issuerAuthenticated = false;
        _challenge = null;
        _staged = null;
    }

    private ResponseApdu Select(in CommandApdu apdu)
    {
        var data = apdu.Data.Span;
        switch (apdu.P1)
        {
            case 0x04:
                if (apdu.P2 is not (0x0C or 0x00))
                {
                    return Status(StatusWords.WrongP1P2);
                }

                if (data.SequenceEqual(CardAids.IssuerSecurityDomain) && _profile.ContactAtr is not null)
                {
                    // The GlobalPlatform ISD: back to the power-on, MF-level state [R MC src/mf.rs].
                    ClearSecurityState();
                    _application = CardApplication.None;
                    return Status(StatusWords.Success);
                }

                CardApplication? target = null;
                foreach (var layout in _profile.Layouts)
                {
                    if (data.SequenceEqual(CardAids.Of(layout.Application)))
                    {
                        target = layout.Application;
                        break;
                    }
                }

                if (target is null)
                {
                    return Status(StatusWords.FileNotFound);
                }

                // Selecting an AP (again) drops every verified PIN: OpenSC's logout relies on it (§4.3).
                ClearSecurityState();
                _application = target.Value;
                return Status(StatusWords.Success);

            case 0x02:
                if (_application == CardApplication.None)
                {
                    return Status(StatusWords.FileNotFound);
                }

                if (data.Length != 2)
                {
                    return Status(StatusWords.WrongLength);
                }

                if (apdu.P2 is not (0x0C or 0x00))
                {
                    return Status(StatusWords.WrongP1P2);
                }

                var fid = (ushort)((data[0] << 8) | data[1]);
                if (Entry(fid) is null)
                {
                    return Status(StatusWords.FileNotFound);
                }

                _currentEf = fid;
                _staged = null; // an unfinished issuer write sequence ends uncommitted
                return Status(StatusWords.Success);

            case 0x00 when _application != CardApplication.None:
                return Status(StatusWords.Success); // MF select inside an AP: a no-op on the real card [R MC]

            default:
                return Status(StatusWords.WrongP1P2);
        }
    }

    private ResponseApdu ReadBinary(in CommandApdu apdu)
    {
        if (!apdu.Data.IsEmpty || apdu.Le is null)
        {
            return Status(StatusWords.WrongLength);
        }

        if (_application == CardApplication.None)
        {
            return Status(StatusWords.FileNotFound);
        }

        int offset;
        if ((apdu.P1 & 0x80) != 0)
        {
            if ((apdu.P1 & 0x60) != 0)
            {
                return Status(StatusWords.WrongP1P2);
            }

            var sfi = (ushort)(apdu.P1 & 0x1F);
            if (Entry(sfi) is null)
            {
                return Status(StatusWords.FileNotFound);
            }

            _currentEf = sfi;
            offset = apdu.P2;
        }
        else
        {
            offset = (apdu.P1 << 8) | apdu.P2;
        }

        if (_currentEf is not { } current)
        {
            return Status(StatusWords.NoCurrentEf);
        }

        var entry = Entry(current)!;
        if (entry.Kind != FileKind.Transparent)
        {
            return Status(StatusWords.IncompatibleFile);
        }

        if (!Opens(entry))
        {
            return Status(StatusWords.SecurityStatusNotSatisfied);
        }

        var content = FileContent(current);
        if (offset >= content.Length)
        {
            return Status(StatusWords.WrongOffset);
        }

        var length = Math.Min(apdu.Le.Value, content.Length - offset);
        return ResponseApdu.Ok(content.AsMemory(offset, length));
    }

    /// <summary>
    /// READ RECORD <c>00 B2 P1 P2 Le</c>: P1 the record number, P2 = <c>SFI &lt;&lt; 3 | 100</c> (SFI 0 = current EF), absolute
    /// addressing only (JICSAP Table 8; soltia48/myna-card and jpki/myna read the common AP's record 1 so).
    /// </summary>
    private ResponseApdu ReadRecord(in CommandApdu apdu)
    {
        if (!apdu.Data.IsEmpty || apdu.Le is null)
        {
            return Status(StatusWords.WrongLength);
        }

        if (_application == CardApplication.None)
        {
            return Status(StatusWords.FileNotFound);
        }

        if ((apdu.P2 & 0x07) != 0x04 || apdu.P1 == 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if ((apdu.P2 >> 3) is var sfi and not 0)
        {
            if (Entry((ushort)sfi) is null)
            {
                return Status(StatusWords.FileNotFound);
            }

            _currentEf = (ushort)sfi;
        }

        if (_currentEf is not { } current)
        {
            return Status(StatusWords.NoCurrentEf);
        }

        var entry = Entry(current)!;
        if (entry.Kind != FileKind.Record)
        {
            return Status(StatusWords.IncompatibleFile);
        }

        if (!Opens(entry))
        {
            return Status(StatusWords.SecurityStatusNotSatisfied);
        }

        var record = FileContent(current);
        if (apdu.P1 != 1 || record.Length == 0)
        {
            return Status(StatusWords.RecordNotFound);
        }

        return apdu.Le.Value < record.Length && record.Length <= 256
            ? Status(StatusWords.ExactLength(record.Length))
            : ResponseApdu.Ok(record);
    }

    /// <summary>
    /// GET DATA <c>00 CA P1 P2 Le</c> (tag in P1P2) [R MC src/mf.rs, src/card.rs]: <c>5F51</c> the contact ATR without TS
    /// (in any state); with no AP selected also <c>0045</c> card identification number, <c>00F0</c> municipality code,
    /// <c>00F2</c> expiry <c>YYYYMMDD</c>. Anything else (including the card-verifiable certificate chain, not emulated)
    /// answers 6A88.
    /// </summary>
    private ResponseApdu GetData(in CommandApdu apdu)
    {
        if (!apdu.Data.IsEmpty || apdu.Le is null)
        {
            return Status(StatusWords.WrongLength);
        }

        var tag = (ushort)((apdu.P1 << 8) | apdu.P2);
        byte[]? value = tag switch
        {
            0x5F51 => ContactAtrWithoutTs(),
            0x0045 when _application == CardApplication.None && _profile.ContactAtr is not null =>
                System.Text.Encoding.ASCII.GetBytes(_image.CardNumber),
            0x00F0 when _application == CardApplication.None && _profile.ContactAtr is not null =>
                System.Text.Encoding.ASCII.GetBytes(_image.MunicipalityCode),
            0x00F2 when _application == CardApplication.None && _profile.ContactAtr is not null =>
                System.Text.Encoding.ASCII.GetBytes(_image.Expiry.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)),
            _ => null,
        };
        if (value is null)
        {
            return Status(StatusWords.DataNotFound);
        }

        return apdu.Le.Value < value.Length ? Status(StatusWords.ExactLength(value.Length)) : ResponseApdu.Ok(value);
    }

    /// <summary>The card's contact ATR as GET DATA 5F51 stores it: without the initial TS, with TCK [R MC Card::contact_atr].</summary>
    private byte[]? ContactAtrWithoutTs()
    {
        if (_profile.ContactAtr is not { } contact)
        {
            return null;
        }

        // A card presenting one of its contact ATRs reports that one; through a contactless reader, the profile's.
        var presented = _profile.Atrs.FirstOrDefault(a => a.Bytes.AsSpan().SequenceEqual(_image.Atr));
        var atr = presented is { Contactless: false } ? presented.Bytes : contact;
        return atr[1..];
    }

    /// <summary>
    /// <c>80 FC 00 00</c>, the iPhone token's last-command indicator [R MC src/card.rs]: 9000 on that profile; physical cards
    /// refuse the four-byte command with 6700.
    /// </summary>
    private ResponseApdu LastCommand(in CommandApdu apdu) =>
        _profile.LastCommandIndicator && apdu.P1 == 0 && apdu.P2 == 0 && apdu.Data.IsEmpty && apdu.Le is null
            ? Status(StatusWords.Success)
            : Status(StatusWords.WrongLength);

    /// <summary>Whether the access rule of <paramref name="entry"/> is met: free, or any of its PIN EFs verified.</summary>
    private bool Opens(FileEntry entry)
    {
        if (entry.Access.Length == 0)
        {
            return true;
        }

        foreach (var pin in entry.Access)
        {
            if (_verified.Contains(pin))
            {
                return true;
            }
        }

        return false;
    }

    private byte[] FileContent(ushort fid)
    {
        if (_application == CardApplication.Jpki && fid == CardFiles.Availability)
        {
            // Reported as 8F 8F 00 with both certificates [R MC]; byte 0 = signature, byte 1 = authentication [R MC
            // CertificateAvailability].
            var files = _image.Jpki.Files;
            return
            [
                files.TryGetValue(ApplicationImage.Key(CardFiles.SignCertificate), out var s) && s.Length > 0 ? (byte)0x8F : (byte)0x00,
                files.TryGetValue(ApplicationImage.Key(CardFiles.AuthCertificate), out var a) && a.Length > 0 ? (byte)0x8F : (byte)0x00,
                0x00,
            ];
        }

        return _image.For(_application).Files.TryGetValue(ApplicationImage.Key(fid), out var content) ? content : [];
    }

    /// <summary>Resolves P2 = 80 (current EF) or 80|SFI to an EF of <paramref name="kind"/>; sets it current.</summary>
    private ushort? ResolveEf(byte p2, FileKind kind, out ushort status)
    {
        status = StatusWords.Success;
        if (_application == CardApplication.None)
        {
            status = StatusWords.FileNotFound;
            return null;
        }

        if ((p2 & 0xE0) != 0x80)
        {
            status = StatusWords.WrongP1P2;
            return null;
        }

        if ((p2 & 0x1F) is var sfi and not 0)
        {
            if (Entry((ushort)sfi) is null)
            {
                status = StatusWords.FileNotFound;
                return null;
            }

            _currentEf = (ushort)sfi;
        }

        if (_currentEf is not { } fid)
        {
            status = StatusWords.NoCurrentEf;
            return null;
        }

        if (Entry(fid)!.Kind != kind)
        {
            status = StatusWords.IncompatibleFile;
            return null;
        }

        return fid;
    }
}
