using System.Security.Cryptography;
using Jpki.Card.Applications;

namespace Jpki.Card.Issuer;

/// <summary>
/// The public half of a key pair generated on the card, as the issuer channel answers it (docs/card.md "Issuer channel"):
/// RSA-2048 as the 256-byte modulus (e = 65537), ECDSA P-384 as the uncompressed point <c>04 ‖ X ‖ Y</c> (97 bytes).
/// </summary>
public sealed class CardPublicKey
{
    private const int RsaModulusLength = 256;
    private const int P384PointLength = 97;
    private const int P384CoordinateLength = 48;
    private static readonly byte[] RsaExponent = [0x01, 0x00, 0x01];

    private readonly byte[] _answer;

    private CardPublicKey(CardKeyAlgorithm algorithm, byte[] answer, byte[] subjectPublicKeyInfo)
    {
        Algorithm = algorithm;
        _answer = answer;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
    }

    /// <summary>The key's algorithm, told by the answer's form.</summary>
    public CardKeyAlgorithm Algorithm { get; }

    /// <summary>The card's answer: the RSA modulus or the EC point.</summary>
    public ReadOnlyMemory<byte> Answer => _answer;

    /// <summary>The key as DER SubjectPublicKeyInfo, what a certificate request carries.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>Reads a GENERATE/READ KEY PAIR answer.</summary>
    /// <exception cref="CryptographicException">The answer is neither a 256-byte modulus nor a P-384 point on the curve.</exception>
    public static CardPublicKey FromCardAnswer(ReadOnlySpan<byte> answer)
    {
        if (answer.Length == RsaModulusLength && answer[0] >= 0x80)
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = answer.ToArray(), Exponent = RsaExponent });
            return new CardPublicKey(CardKeyAlgorithm.Rsa2048, answer.ToArray(), rsa.ExportSubjectPublicKeyInfo());
        }

        if (answer.Length == P384PointLength && answer[0] == 0x04)
        {
            var parameters = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP384,
                Q = new ECPoint { X = answer[1..(1 + P384CoordinateLength)].ToArray(), Y = answer[(1 + P384CoordinateLength)..].ToArray() },
            };

            // ECDsa.Create validates that the point lies on the curve.
            using var ecdsa = ECDsa.Create(parameters);
            return new CardPublicKey(CardKeyAlgorithm.EcdsaP384, answer.ToArray(), ecdsa.ExportSubjectPublicKeyInfo());
        }

        throw new CryptographicException($"The card answered a public key of {answer.Length} bytes: neither an RSA-2048 modulus nor a P-384 point.");
    }

    /// <summary>The RSA public key.</summary>
    /// <exception cref="InvalidOperationException">The key is not RSA.</exception>
    public RSAParameters ToRsaParameters() => Algorithm == CardKeyAlgorithm.Rsa2048
        ? new RSAParameters { Modulus = _answer.ToArray(), Exponent = RsaExponent }
        : throw new InvalidOperationException($"The card key is {Algorithm}, not RSA.");

    /// <summary>The public key as a BCL object: an <see cref="RSA"/> or an <see cref="ECDsa"/>; the caller disposes it.</summary>
    public AsymmetricAlgorithm CreateKey()
    {
        if (Algorithm == CardKeyAlgorithm.Rsa2048)
        {
            return RSA.Create(ToRsaParameters());
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        return ecdsa;
    }
}
