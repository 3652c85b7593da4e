using Jpki.Card.Apdu;
using Jpki.Card.Virtual;

namespace Jpki.Card.Applications;

internal sealed partial class CardProcessor
{
    /// <summary>The longest value a VERIFY may carry: the 16-character signature password. Longer is refused without a try.</summary>
    private const int MaxReferenceDataLength = 16;

    private ResponseApdu Verify(in CommandApdu apdu)
    {
        if (apdu.P1 != 0x00)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (ResolveEf(apdu.P2, FileKind.Pin, out var status) is not { } fid)
        {
            return Status(status);
        }

        var record = PinOf(fid);
        if (apdu.Data.IsEmpty)
        {
            // The retry query answers 63 Cx even after a successful VERIFY: OpenSC requires SW1 = 63 (§4.2).
            return Status(StatusWords.Retries(record.TriesLeft));
        }

        if (apdu.Data.Length > MaxReferenceDataLength)
        {
            // No reference of the card is longer than 16 bytes: a longer value is a malformed command, not a guess.
            return Status(StatusWords.WrongLength);
        }

        if (record.TriesLeft <= 0)
        {
            if (_options.Logger is { } blockedLogger)
            {
                Log.VerifyWhileBlocked(blockedLogger, _image.CardNumber, ApplicationName, PinName(fid));
            }

            return Status(StatusWords.PinBlocked);
        }

        if (!record.IsSet)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        // Count the attempt and make it durable BEFORE comparing: pulling the card mid-VERIFY must not give a free try.
        record.TriesLeft--;
        _verified.Remove(fid);
        _sink.Persist(_image);

        if (!record.Matches(apdu.Data.Span))
        {
            LogWrongPin(fid, record.TriesLeft);
            return Status(StatusWords.Retries(record.TriesLeft));
        }

        record.TriesLeft = record.MaxTries;
        _sink.Persist(_image);
        _verified.Add(fid);
        return Status(StatusWords.Success);
    }

    /// <summary>
    /// CHANGE REFERENCE DATA <c>00 24 01 80</c> (JPKI-AP, text AP) or JICSAP CHANGE KEY <c>80 32 00 80</c> (common AP,
    /// 住基AP [R MC src/ap/common.rs, juki.rs]): the new value after a successful VERIFY of the same reference. Each AP
    /// answers the other form 6D00.
    /// </summary>
    private ResponseApdu ChangePin(in CommandApdu apdu, bool changeKey)
    {
        if (Layout is not { } layout || layout.ChangeKeyPins != changeKey)
        {
            return Status(_application == CardApplication.None ? StatusWords.FileNotFound : StatusWords.InsNotSupported);
        }

        if (apdu.P1 != (changeKey ? 0x00 : 0x01))
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (ResolveEf(apdu.P2, FileKind.Pin, out var status) is not { } fid)
        {
            return Status(status);
        }

        if (!_verified.Contains(fid))
        {
            return Status(StatusWords.SecurityStatusNotSatisfied);
        }

        return SetPin(fid, apdu.Data.Span);
    }

    /// <summary>
    /// RESET RETRY COUNTER with the PUK (ISO 7816-4 <c>00 2C P1 P2</c>; only where the profile has a PUK — the
    /// next-generation card, ours [I]: the real card's command is not public). P2 = 80 (current EF) or 80|SFI names the
    /// PIN to unblock; P1 = 01 with data = PUK resets its counter, P1 = 00 with data = PUK ‖ new PIN also replaces it.
    /// A wrong PUK spends one of the PUK's tries (counted durably before the comparison, as VERIFY does) and answers
    /// 63 Cx; a blocked PUK 6984; a PUK never set at issuance (it is optional) 6985. A new PIN that breaks the PIN's rule
    /// is refused with 6A80 before the PUK is tried.
    /// </summary>
    private ResponseApdu ResetWithPuk(in CommandApdu apdu)
    {
        if (Layout is not { Puk: { } pukFid })
        {
            return Status(_application == CardApplication.None ? StatusWords.FileNotFound : StatusWords.InsNotSupported);
        }

        if (apdu.P1 is not (0x00 or 0x01))
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (ResolveEf(apdu.P2, FileKind.Pin, out var status) is not { } fid)
        {
            return Status(status);
        }

        if (fid == pukFid)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        var pukLength = Entry(pukFid)!.Pin!.Digits;
        var data = apdu.Data.Span;
        var replace = apdu.P1 == 0x00;
        if (replace ? data.Length <= pukLength : data.Length != pukLength)
        {
            return Status(StatusWords.WrongLength);
        }

        var newPin = data[pukLength..];
        if (replace && !Entry(fid)!.Pin!.Accepts(newPin))
        {
            return Status(StatusWords.WrongData);
        }

        var puk = PinOf(pukFid);
        if (!puk.IsSet)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        if (puk.TriesLeft <= 0)
        {
            return Status(StatusWords.PinBlocked);
        }

        puk.TriesLeft--;
        _sink.Persist(_image);
        if (!puk.Matches(data[..pukLength]))
        {
            if (_options.Logger is { } logger)
            {
                if (puk.TriesLeft > 0)
                {
                    Log.WrongPuk(logger, _image.CardNumber, ApplicationName, PinName(fid), puk.TriesLeft);
                }
                else
                {
                    Log.PukBlocked(logger, _image.CardNumber, ApplicationName);
                }
            }

            return Status(StatusWords.Retries(puk.TriesLeft));
        }

        puk.TriesLeft = puk.MaxTries;
        var target = PinOf(fid);
        _verified.Remove(fid);
        if (replace)
        {
            target.Set(newPin, _options.PinIterations);
        }
        else if (!target.IsSet)
        {
            _sink.Persist(_image);
            return Status(StatusWords.ConditionsNotSatisfied);
        }
        else
        {
            target.TriesLeft = target.MaxTries;
        }

        _sink.Persist(_image);
        if (_options.Logger is { } unblockLogger)
        {
            Log.PinUnblocked(unblockLogger, _image.CardNumber, ApplicationName, PinName(fid), replace);
        }

        return Status(StatusWords.Success);
    }

    private string ApplicationName => _application.ToString();

    private string PinName(ushort fid) => Entry(fid)?.Pin?.Name ?? $"EF {fid:X4}";

    /// <summary>Logs a wrong PIN: its tries left, or the lock-out when none are (never the value tried).</summary>
    private void LogWrongPin(ushort fid, int triesLeft)
    {
        if (_options.Logger is not { } logger)
        {
            return;
        }

        if (triesLeft > 0)
        {
            Log.WrongPin(logger, _image.CardNumber, ApplicationName, PinName(fid), triesLeft);
        }
        else
        {
            Log.PinBlocked(logger, _image.CardNumber, ApplicationName, PinName(fid));
        }
    }

    /// <summary>Validates <paramref name="newPin"/> with the EF's rule, stores its verifier and resets the counter.</summary>
    private ResponseApdu SetPin(ushort fid, ReadOnlySpan<byte> newPin)
    {
        var rule = Entry(fid)!.Pin!;
        if (rule.MaxTries == 0 || !rule.Accepts(newPin))
        {
            return Status(StatusWords.WrongData);
        }

        PinOf(fid).Set(newPin, _options.PinIterations);
        _sink.Persist(_image);
        return Status(StatusWords.Success);
    }

    private PinRecord PinOf(ushort fid)
    {
        var pins = _image.For(_application).Pins;
        var key = ApplicationImage.Key(fid);
        if (!pins.TryGetValue(key, out var record))
        {
            var max = Entry(fid)!.Pin!.MaxTries;
            record = new PinRecord { MaxTries = max, TriesLeft = max, Iterations = _options.PinIterations };
            pins[key] = record;
        }

        return record;
    }
}
