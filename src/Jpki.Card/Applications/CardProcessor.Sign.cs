using System.Security.Cryptography;
using Jpki.Card.Apdu;
using Jpki.Card.Virtual;

namespace Jpki.Card.Applications;

internal sealed partial class CardProcessor
{
    private static readonly byte[] Sha256DigestInfoPrefix = Convert.FromHexString("3031300d060960864801650304020105000420");

    /// <summary>
    /// COMPUTE DIGITAL SIGNATURE <c>80 2A P1 P2 Lc data 00</c>. P2 = 80 or 80|SFI names a key EF (JPKI-AP: after its PIN);
    /// in the 券面 APs P2 = 00 names the application's own key, which signs with no credential [R MC src/ap/surface.rs].
    /// An RSA key pads the data (a DigestInfo) with PKCS#1 v1.5; an ECDSA P-384 key signs the data as a hash and answers
    /// r‖s (ours, see <see cref="CardEcKey"/>).
    /// </summary>
    private ResponseApdu ComputeSignature(in CommandApdu apdu)
    {
        if (Layout is not { } layout)
        {
            return Status(StatusWords.FileNotFound);
        }

        if (!layout.Files.Any(f => f.Kind == FileKind.Key) || layout.InternalAuthenticationKey is not null)
        {
            return Status(StatusWords.InsNotSupported);
        }

        var mode = apdu.P1;
        var extended = _options.ExtendedSignModes && _application == CardApplication.Jpki && mode is >= 0x01 and <= 0x05;
        if (mode != 0x00 && !extended)
        {
            return Status(StatusWords.WrongP1P2);
        }

        ushort fid;
        if (apdu.P2 == 0x00)
        {
            if (layout.DefaultSigningKey is not { } defaultKey)
            {
                return Status(StatusWords.WrongP1P2);
            }

            fid = defaultKey;
        }
        else if (ResolveEf(apdu.P2, FileKind.Key, out var status) is { } resolved)
        {
            fid = resolved;
        }
        else
        {
            return Status(status);
        }

        if (!Opens(layout.Find(fid)!))
        {
            return Status(StatusWords.SecurityStatusNotSatisfied);
        }

        if (KeyOf(fid) is not { } key)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        var data = apdu.Data.Span;
        if (!key.AcceptsInput(data.Length))
        {
            return Status(StatusWords.WrongLength);
        }

        if (mode == 0x00)
        {
            return ResponseApdu.Ok(key.Sign(data));
        }

        if (key is not CardRsaKey rsa)
        {
            // OpenJpki's extended modes hash or pad for RSA only; an EC key signs the host's hash (mode 00).
            return Status(StatusWords.WrongP1P2);
        }

        byte[] signature;
        switch (mode)
        {
            case 0x01:
                Span<byte> hash = stackalloc byte[32];
                SHA256.HashData(data, hash);
                signature = rsa.SignPadded(hash);
                break;
            case 0x02 or 0x04 when data.Length != 32:
                return Status(StatusWords.WrongLength);
            case 0x02:
                signature = rsa.SignWithPlatform(data, isHash: true, RSASignaturePadding.Pkcs1);
                break;
            case 0x03:
                signature = rsa.SignWithPlatform(data, isHash: false, RSASignaturePadding.Pkcs1);
                break;
            case 0x04:
                signature = rsa.SignWithPlatform(data, isHash: true, RSASignaturePadding.Pss);
                break;
            default:
                signature = rsa.SignWithPlatform(data, isHash: false, RSASignaturePadding.Pss);
                break;
        }

        return ResponseApdu.Ok(signature);
    }

    /// <summary>
    /// INTERNAL AUTHENTICATE <c>00 88 00 P2 Lc challenge 00</c> (P2 = 80|SFI): only the common AP's key 0019 answers, with
    /// no credential, signing DigestInfo(SHA-256(challenge)) with PKCS#1 v1.5; the 券面 keys answer 6985 and PIN-protected
    /// keys 6982 [R MC src/card.rs internal_authenticate].
    /// </summary>
    private ResponseApdu InternalAuthenticate(in CommandApdu apdu)
    {
        if (Layout is not { } layout)
        {
            return Status(StatusWords.FileNotFound);
        }

        if (apdu.P1 != 0x00)
        {
            return Status(StatusWords.WrongP1P2);
        }

        if (ResolveEf(apdu.P2, FileKind.Key, out var status) is not { } fid)
        {
            return Status(status);
        }

        var entry = layout.Find(fid)!;
        if (entry.Access.Length > 0)
        {
            return Status(StatusWords.SecurityStatusNotSatisfied);
        }

        if (layout.InternalAuthenticationKey != fid)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        if (apdu.Data.IsEmpty)
        {
            return Status(StatusWords.WrongLength);
        }

        if (KeyOf(fid) is not CardRsaKey key)
        {
            return Status(StatusWords.ConditionsNotSatisfied);
        }

        Span<byte> digestInfo = stackalloc byte[Sha256DigestInfoPrefix.Length + 32];
        Sha256DigestInfoPrefix.CopyTo(digestInfo);
        SHA256.HashData(apdu.Data.Span, digestInfo[Sha256DigestInfoPrefix.Length..]);
        return ResponseApdu.Ok(key.SignPadded(digestInfo));
    }

    /// <summary>The key of key EF <paramref name="fid"/> in the current AP, loaded once and cached; null when not generated.</summary>
    internal CardKey? KeyOf(ushort fid) => KeyOf(_application, fid);

    internal CardKey? KeyOf(CardApplication application, ushort fid)
    {
        if (_keys.TryGetValue((application, fid), out var cached))
        {
            return cached;
        }

        if (!_image.For(application).Keys.TryGetValue(ApplicationImage.Key(fid), out var pkcs8) || pkcs8.Length == 0)
        {
            return null;
        }

        var algorithm = _profile.Layout(application)?.Find(fid)?.Algorithm ?? CardKeyAlgorithm.Rsa2048;
        var key = CardKeyFactory.Load(algorithm, pkcs8);
        _keys[(application, fid)] = key;
        return key;
    }

    private void ForgetKey(CardApplication application, ushort fid)
    {
        if (_keys.Remove((application, fid), out var stale))
        {
            stale.Dispose();
        }
    }
}
