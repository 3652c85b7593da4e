using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Issuer;
using Jpki.Card.Virtual;

namespace Jpki.Card.Applications;

/// <summary>
/// OpenJpki's issuer channel (CLA E4). Not part of the real card's public interface: the real issuance commands are not
/// published (JPKI-REFERENCE §13.3). Everything except GET CHALLENGE and EXTERNAL AUTHENTICATE answers 6982 until the
/// issuer has authenticated with the card-management key; the authentication lasts until the AP is selected again or the
/// card is reset.
/// </summary>
internal sealed partial class CardProcessor
{
    internal const byte InsGetChallenge = 0x84;
    internal const byte InsExternalAuthenticate = 0x82;
    internal const byte InsGenerateKeyPair = 0x46;
    internal const byte InsEraseBinary = 0x0E;
    internal const byte InsUpdateBinary = 0xD6;
    internal const byte InsResetRetryCounter = 0x2C;
    internal const byte InsActivateFile = 0x44;
    internal const byte InsIssuerReadBinary = 0xB0;

    /// <summary>Largest EF the issuer may write (15-bit offsets).</summary>
    private const int MaxEfLength = 0x7FFF;

    private ResponseApdu ProcessIssuer(in CommandApdu apdu)
    {
        if (_application == CardApplication.None)
        {
            return Status(StatusWords.FileNotFound);
        }

        switch (apdu.Ins)
        {
            case InsGetChallenge:
                return GetChallenge(apdu, CardManagementKey.ChallengeLength, issuer: true);
            case InsExternalAuthenticate:
                return ExternalAuthenticate(apdu);
            case InsGenerateKeyPair or InsEraseBinary or InsUpdateBinary or InsActivateFile or InsResetRetryCounter or InsIssuerReadBinary:
                break;
            default:
                return Status(StatusWords.InsNotSupported);
        }

        if (!_issuerAuthenticated)
        {
            return Status(StatusWords.SecurityStatusNotSatisfied);
        }

        return apdu.Ins switch
        {
            InsGenerateKeyPair => GenerateKeyPair(apdu),
            InsEraseBinary => EraseBinary(apdu),
            InsUpdateBinary => UpdateBinary(apdu),
            InsActivateFile => ActivateFile(apdu),
            InsIssuerReadBinary => IssuerReadBinary(apdu),
            _ => ResetRetryCounter(apdu),
        };
    }

    /// <summary>Largest standard GET CHALLENGE: 256 bytes, every length 1–256 honoured exactly [R MC src/card.rs].</summary>
    private const int CardChallengeMaximum = 256;

    /// <summary>
    /// GET CHALLENGE <c>00 84 00 00 Le</c> (the card's random number generator, at MF level and in every AP) or the issuer
    /// channel's <c>E4 84 00 00 10</c>, whose 16 bytes the next EXTERNAL AUTHENTICATE must answer.
    /// </summary>
    private ResponseApdu GetChallenge(in CommandApdu apdu, int maximum, bool issuer)
    {
        if (apdu.P1 != 0 || apdu.P2 != 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (!apdu.Data.IsEmpty || apdu.Le is not { } le || le > maximum)
        {
            return Status(StatusWords.WrongLength);
        }

        if (!issuer)
        {
            return ResponseApdu.Ok(RandomNumberGenerator.GetBytes(le));
        }

        _challenge = RandomNumberGenerator.GetBytes(CardManagementKey.ChallengeLength);
        return ResponseApdu.Ok(_challenge.AsMemory().ToArray());
    }

    private ResponseApdu ExternalAuthenticate(in CommandApdu apdu)
    {
        if (apdu.P1 != 0 || apdu.P2 != 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (apdu.Data.Length != CardManagementKey.Length)
        {
            return Status(StatusWords.WrongLength);
        }

        if (_challenge is not { } challenge)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        _challenge = null; // single use, whatever the outcome
        using var key = CardManagementKey.FromBytes(_image.ManagementKey);
        var expected = key.ComputeCryptogram(challenge, _image.CardNumber);
        _issuerAuthenticated = CryptographicOperations.FixedTimeEquals(expected, apdu.Data.Span);
        return Status(_issuerAuthenticated ? StatusWords.Success : StatusWords.AuthenticationFailed);
    }

    /// <summary>
    /// E4 46 P1 00 02 &lt;key FID&gt;: P1 = 00 generates a key pair of the EF's algorithm into a key EF of the current AP,
    /// P1 = 01 reads the existing one. Answers RSA-2048 as the 256-byte modulus (the exponent is always 65537) and ECDSA
    /// P-384 as the uncompressed point 04 ‖ X ‖ Y (97 bytes); both fit a short response.
    /// </summary>
    private ResponseApdu GenerateKeyPair(in CommandApdu apdu)
    {
        if (apdu.P1 > 1 || apdu.P2 != 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (apdu.Data.Length != 2)
        {
            return Status(StatusWords.WrongLength);
        }

        var fid = (ushort)((apdu.Data.Span[0] << 8) | apdu.Data.Span[1]);
        if (Entry(fid) is not { Kind: FileKind.Key, Algorithm: { } algorithm })
        {
            return Status(StatusWords.FileNotFound);
        }

        if (apdu.P1 == 0)
        {
            var pkcs8 = CardKeyFactory.Generate(algorithm);
            var keyName = ApplicationImage.Key(fid);
            var keys = _image.For(_application).Keys;
            var old = keys.GetValueOrDefault(keyName);
            keys[keyName] = pkcs8;
            try
            {
                // One atomic write: after a crash the key EF holds the old key or the new one, never a mixture.
                _sink.Persist(_image);
            }
            catch
            {
                RestoreEntry(keys, keyName, old);
                CryptographicOperations.ZeroMemory(pkcs8);
                throw;
            }

            if (old is not null)
            {
                CryptographicOperations.ZeroMemory(old);
            }

            ForgetKey(_application, fid);
        }

        if (KeyOf(fid) is not { } key)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        return ResponseApdu.Ok(key.PublicKeyAnswer());
    }

    /// <summary>
    /// E4 0E P1 P2: truncates the staged copy of the current EF to the 15-bit length P1P2 (ERASE BINARY from that offset).
    /// Like UPDATE BINARY it changes nothing on the card until ACTIVATE FILE commits the staged copy.
    /// </summary>
    private ResponseApdu EraseBinary(in CommandApdu apdu)
    {
        if ((apdu.P1 & 0x80) != 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (WritableEf(out var status) is not { } fid)
        {
            return Status(status);
        }

        var offset = (apdu.P1 << 8) | apdu.P2;
        var staged = StagedCopy(fid);
        if (offset > staged.Length)
        {
            return Status(StatusWords.WrongOffset);
        }

        _staged = new StagedFile(_application, fid, staged.AsSpan(0, offset).ToArray());
        return Status(StatusWords.Success);
    }

    /// <summary>
    /// E4 D6 P1 P2 Lc data: writes at the 15-bit offset P1P2 of the staged copy of the current EF, growing it; the offset
    /// may not leave a gap. Nothing is written to the card until ACTIVATE FILE.
    /// </summary>
    private ResponseApdu UpdateBinary(in CommandApdu apdu)
    {
        if ((apdu.P1 & 0x80) != 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (apdu.Data.IsEmpty)
        {
            return Status(StatusWords.WrongLength);
        }

        if (WritableEf(out var status) is not { } fid)
        {
            return Status(status);
        }

        var offset = (apdu.P1 << 8) | apdu.P2;
        var content = StagedCopy(fid);
        if (offset > content.Length || offset + apdu.Data.Length > MaxEfLength)
        {
            return Status(StatusWords.WrongOffset);
        }

        var updated = new byte[Math.Max(content.Length, offset + apdu.Data.Length)];
        content.CopyTo(updated, 0);
        apdu.Data.Span.CopyTo(updated.AsSpan(offset));
        _staged = new StagedFile(_application, fid, updated);
        return Status(StatusWords.Success);
    }

    /// <summary>
    /// E4 44 00 00: ACTIVATE FILE — commits the staged copy of the current EF in one durable write. A write sequence cut
    /// short (card pulled, process killed, another SELECT) leaves the EF as it was: a reader never sees half a certificate.
    /// </summary>
    private ResponseApdu ActivateFile(in CommandApdu apdu)
    {
        if (apdu.P1 != 0 || apdu.P2 != 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (!apdu.Data.IsEmpty)
        {
            return Status(StatusWords.WrongLength);
        }

        if (WritableEf(out var status) is not { } fid)
        {
            return Status(status);
        }

        if (_staged is not { } staged || staged.Application != _application || staged.Fid != fid)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        var files = _image.For(_application).Files;
        var name = ApplicationImage.Key(fid);
        var old = files.GetValueOrDefault(name);
        files[name] = staged.Content;
        try
        {
            _sink.Persist(_image);
        }
        catch
        {
            RestoreEntry(files, name, old);
            throw;
        }

        _staged = null;
        return Status(StatusWords.Success);
    }

    /// <summary>The EF's staged copy if a write sequence on it is open, else its committed content.</summary>
    private byte[] StagedCopy(ushort fid)
    {
        if (_staged is { } staged && staged.Application == _application && staged.Fid == fid)
        {
            return staged.Content;
        }

        return _image.For(_application).Files.TryGetValue(ApplicationImage.Key(fid), out var content) ? content : [];
    }

    private static void RestoreEntry(Dictionary<string, byte[]> entries, string name, byte[]? old)
    {
        if (old is null)
        {
            entries.Remove(name);
        }
        else
        {
            entries[name] = old;
        }
    }

    /// <summary>
    /// E4 2C P1 P2: RESET RETRY COUNTER on the PIN EF named by P2 (80 = current, 80|SFI). P1 = 02 sets a new PIN from the data
    /// (validated with the PIN policy) and resets the counter; P1 = 03 resets the counter of a PIN that is already set.
    /// </summary>
    private ResponseApdu ResetRetryCounter(in CommandApdu apdu)
    {
        if (apdu.P1 is not (0x02 or 0x03))
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (ResolveEf(apdu.P2, FileKind.Pin, out var status) is not { } fid)
        {
            return Status(status);
        }

        _verified.Remove(fid);
        if (apdu.P1 == 0x02)
        {
            return SetPin(fid, apdu.Data.Span);
        }

        if (!apdu.Data.IsEmpty)
        {
            return Status(StatusWords.WrongLength);
        }

        var record = PinOf(fid);
        if (!record.IsSet)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        record.TriesLeft = record.MaxTries;
        _sink.Persist(_image);
        return Status(StatusWords.Success);
    }

    /// <summary>An EF's content being written by the issuer, in card memory only until ACTIVATE FILE.</summary>
    private readonly record struct StagedFile(CardApplication Application, ushort Fid, byte[] Content);

    /// <summary>
    /// E4 B0 P1 P2 Le: reads the committed content of the current EF at the 15-bit offset P1P2 — only an EF the issuer may
    /// write (it put the content there), whatever the EF's PIN: the counter reads back which certificate a card holds
    /// after an issuance that stopped half-way, without the holder's signature password. Key EFs are never readable.
    /// Past the end → 6B00 (an empty EF: nothing issued).
    /// </summary>
    private ResponseApdu IssuerReadBinary(in CommandApdu apdu)
    {
        if ((apdu.P1 & 0x80) != 0)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (!apdu.Data.IsEmpty || apdu.Le is not { } le)
        {
            return Status(StatusWords.WrongLength);
        }

        if (WritableEf(out var status) is not { } fid || Entry(fid)!.Kind != FileKind.Transparent)
        {
            return Status(status == StatusWords.Success ? StatusWords.IncompatibleFile : status);
        }

        var offset = (apdu.P1 << 8) | apdu.P2;
        var content = FileContent(fid);
        if (offset >= content.Length)
        {
            return Status(StatusWords.WrongOffset);
        }

        return ResponseApdu.Ok(content.AsMemory(offset, Math.Min(le, content.Length - offset)));
    }

    private ushort? WritableEf(out ushort status)
    {
        status = StatusWords.Success;
        if (_currentEf is not { } fid)
        {
            status = StatusWords.NoCurrentEf;
            return null;
        }

        if (Entry(fid) is not { IssuerWritable: true, Kind: FileKind.Transparent or FileKind.Record })
        {
            status = StatusWords.IncompatibleFile;
            return null;
        }

        return fid;
    }
}
