using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Virtual;

namespace Jpki.Card.Applications;

internal sealed partial class CardProcessor
{
    private ResponseApdu ComputeSignature(in CommandApdu apdu)
    {
        if (_application != CardApplication.Jpki)
        {
            return Status(_application == CardApplication.None ? StatusWords.FileNotFound : StatusWords.InsNotSupported);
        }

        var mode = apdu.P1;
        if (mode != 0x00 && !(_options.ExtendedSignModes && mode is >= 0x01 and <= 0x05))
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (ResolveEf(apdu.P2, FileKind.Key, out var status) is not { } fid)
        {
            return Status(status);
        }

        var pin = FileEntry.Find(_application, fid)!.ReadPin!.Value;
        if (!_verified.Contains(pin))
        {
            return Status(StatusWords.SecurityStatusNotSatisfied);
        }

        if (KeyOf(fid) is not { } key)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        var data = apdu.Data.Span;
        if (data.IsEmpty || data.Length > key.MaxInput)
        {
            return Status(StatusWords.WrongLength);
        }

        byte[] signature;
        switch (mode)
        {
            case 0x00:
                signature = key.SignPadded(data);
                break;
            case 0x01:
                Span<byte> hash = stackalloc byte[32];
                SHA256.HashData(data, hash);
                signature = key.SignPadded(hash);
                break;
            case 0x02 or 0x04 when data.Length != 32:
                return Status(StatusWords.WrongLength);
            case 0x02:
                signature = key.SignWithPlatform(data, isHash: true, RSASignaturePadding.Pkcs1);
                break;
            case 0x03:
                signature = key.SignWithPlatform(data, isHash: false, RSASignaturePadding.Pkcs1);
                break;
            case 0x04:
                signature = key.SignWithPlatform(data, isHash: true, RSASignaturePadding.Pss);
                break;
            default:
                signature = key.SignWithPlatform(data, isHash: false, RSASignaturePadding.Pss);
                break;
        }

        return ResponseApdu.Ok(signature);
    }

    /// <summary>The key of key EF <paramref name="fid"/>, loaded once from its PKCS#8 and cached; null when not generated.</summary>
    internal CardPrivateKey? KeyOf(ushort fid)
    {
        if (_keys.TryGetValue(fid, out var cached))
        {
            return cached;
        }

        if (!_image.Jpki.Keys.TryGetValue(ApplicationImage.Key(fid), out var pkcs8) || pkcs8.Length == 0)
        {
            return null;
        }

        var key = new CardPrivateKey(pkcs8);
        _keys[fid] = key;
        return key;
    }
}
