using System.Security.Cryptography;

namespace Jpki.Verification.Certificates;

/// <summary>The signature algorithms the verifier accepts: RSA PKCS#1 v1.5 and ECDSA with SHA-2. SHA-1 is refused.</summary>
internal static class SignatureAlgorithms
{
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string EcdsaSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaSha512 = "1.2.840.10045.4.3.4";

    private static readonly byte[] DerNull = [0x05, 0x00];

    public static bool Verify(string algorithm, ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, AsymmetricAlgorithm key)
    {
        try
        {
            switch (algorithm)
            {
                case Sha256WithRsa or Sha384WithRsa or Sha512WithRsa when key is RSA rsa:
                    // RFC 4055: the parameters are NULL (absent is tolerated by most; we accept both).
                    if (!parameters.IsEmpty && !parameters.SequenceEqual(DerNull))
                    {
                        return false;
                    }

                    return rsa.VerifyData(data, signature, HashOf(algorithm), RSASignaturePadding.Pkcs1);
                case EcdsaSha256 or EcdsaSha384 or EcdsaSha512 when key is ECDsa ecdsa:
                    return parameters.IsEmpty && ecdsa.VerifyData(data, signature, HashOf(algorithm), DSASignatureFormat.Rfc3279DerSequence);
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static HashAlgorithmName HashOf(string algorithm) => algorithm switch
    {
        Sha256WithRsa or EcdsaSha256 => HashAlgorithmName.SHA256,
        Sha384WithRsa or EcdsaSha384 => HashAlgorithmName.SHA384,
        Sha512WithRsa or EcdsaSha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unsupported signature algorithm."),
    };
}
