using System.Security.Cryptography;

namespace Jpki.Card.Applications;

/// <summary>Creates and loads on-card keys by <see cref="CardKeyAlgorithm"/>: the one place a new key algorithm plugs in.</summary>
internal static class CardKeyFactory
{
    /// <summary>A fresh private key as PKCS#8 DER.</summary>
    /// <exception cref="NotSupportedException">An algorithm this build cannot generate.</exception>
    public static byte[] Generate(CardKeyAlgorithm algorithm)
    {
        switch (algorithm)
        {
            case CardKeyAlgorithm.Rsa2048:
                using (var rsa = RSA.Create(2048))
                {
                    return rsa.ExportPkcs8PrivateKey();
                }

            case CardKeyAlgorithm.EcdsaP384:
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384))
                {
                    return ecdsa.ExportPkcs8PrivateKey();
                }

            default:
                throw new NotSupportedException($"Key algorithm {algorithm} is not supported by this build.");
        }
    }

    /// <summary>Loads a key EF's PKCS#8 content.</summary>
    /// <exception cref="NotSupportedException">An algorithm this build cannot load.</exception>
    public static CardKey Load(CardKeyAlgorithm algorithm, ReadOnlySpan<byte> pkcs8) => algorithm switch
    {
        CardKeyAlgorithm.Rsa2048 => new CardRsaKey(pkcs8),
        CardKeyAlgorithm.EcdsaP384 => new CardEcKey(pkcs8),
        _ => throw new NotSupportedException($"Key algorithm {algorithm} is not supported by this build."),
    };
}
