using Jpki.Card.Apdu;
using Jpki.Card.Virtual;
using Jpki.Core.Pins;

namespace Jpki.Card.Applications;

internal sealed partial class CardProcessor
{
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

        if (!record.IsSet)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        if (record.TriesLeft <= 0)
        {
            return Status(StatusWords.PinBlocked);
        }

        // Count the attempt and make it durable BEFORE comparing: pulling the card mid-VERIFY must not give a free try.
        record.TriesLeft--;
        _verified.Remove(fid);
        _sink.Persist(_image);

        if (!record.Matches(apdu.Data.Span))
        {
            return Status(StatusWords.Retries(record.TriesLeft));
        }

        record.TriesLeft = record.MaxTries;
        _sink.Persist(_image);
        _verified.Add(fid);
        return Status(StatusWords.Success);
    }

    private ResponseApdu ChangeReferenceData(in CommandApdu apdu)
    {
        if (apdu.P1 != 0x01)
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

    /// <summary>Validates <paramref name="newPin"/> with the EF's policy, stores its verifier and resets the counter.</summary>
    private ResponseApdu SetPin(ushort fid, ReadOnlySpan<byte> newPin)
    {
        var kind = FileEntry.Find(_application, fid)!.PinKind!.Value;
        if (!IsAcceptablePin(kind, newPin))
        {
            return Status(StatusWords.WrongData);
        }

        PinOf(fid).Set(newPin, _options.PinIterations);
        _sink.Persist(_image);
        return Status(StatusWords.Success);
    }

    /// <summary>The card compares bytes: it accepts only PINs already in the policy's normal form (uppercase, ASCII).</summary>
    private static bool IsAcceptablePin(PinKind kind, ReadOnlySpan<byte> pin)
    {
        if (pin.IsEmpty || pin.Length > 16)
        {
            return false;
        }

        Span<char> chars = stackalloc char[pin.Length];
        for (var i = 0; i < pin.Length; i++)
        {
            if (pin[i] is < 0x21 or > 0x7E)
            {
                return false;
            }

            chars[i] = (char)pin[i];
        }

        var text = new string(chars);
        chars.Clear();
        var outcome = PinPolicy.For(kind).Validate(text);
        return outcome.IsAllowed && string.Equals(outcome.Value, text, StringComparison.Ordinal);
    }

    private PinRecord PinOf(ushort fid)
    {
        var pins = _image.For(_application).Pins;
        var key = ApplicationImage.Key(fid);
        if (!pins.TryGetValue(key, out var record))
        {
            var kind = FileEntry.Find(_application, fid)!.PinKind!.Value;
            var max = PinPolicy.For(kind).MaxTries;
            record = new PinRecord { MaxTries = max, TriesLeft = max, Iterations = _options.PinIterations };
            pins[key] = record;
        }

        return record;
    }
}
