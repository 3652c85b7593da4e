using System.Numerics;
using System.Security.Cryptography;

namespace Jpki.Card.Applications;

/// <summary>
/// An RSA private key inside the card: the PKCS#1 v1.5 type-1 padding is applied on the card to whatever bytes the
/// host sends (normally a DER DigestInfo) and the raw private-key operation follows (JPKI-REFERENCE §4.1).
/// </summary>
/// <remarks>
/// The raw operation is done with the CRT components and <see cref="BigInteger.ModPow"/>. When the input is exactly
/// the DigestInfo that <see cref="RSA.SignHash(byte[], HashAlgorithmName, RSASignaturePadding)"/> would build for
/// SHA-1/256/384/512, the padded block is identical, so the platform signer is used instead: PKCS#1 v1.5 is
/// deterministic, the result is byte-identical, and it is several times faster. Tests check both paths agree.
/// </remarks>
internal sealed class CardRsaKey : CardKey
{
    private static readonly (HashAlgorithmName Name, byte[] Prefix, int HashLength)[] DigestInfoPrefixes =
    [
        (HashAlgorithmName.SHA256, Convert.FromHexString("3031300d060960864801650304020105000420"), 32),
        (HashAlgorithmName.SHA1, Convert.FromHexString("3021300906052b0e03021a05000414"), 20),
        (HashAlgorithmName.SHA384, Convert.FromHexString("3041300d060960864801650304020205000430"), 48),
        (HashAlgorithmName.SHA512, Convert.FromHexString("3051300d060960864801650304020305000440"), 64),
    ];

    private readonly RSA _rsa;
    private readonly BigInteger _p, _q, _dp, _dq, _qInv;

    public CardRsaKey(ReadOnlySpan<byte> pkcs8)
    {
        _rsa = RSA.Create();
        _rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        var parameters = _rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            ModulusLength = parameters.Modulus!.Length;
            _p = Positive(parameters.P);
            _q = Positive(parameters.Q);
            _dp = Positive(parameters.DP);
            _dq = Positive(parameters.DQ);
            _qInv = Positive(parameters.InverseQ);
        }
        finally
        {
            Zero(parameters.D);
            Zero(parameters.P);
            Zero(parameters.Q);
            Zero(parameters.DP);
            Zero(parameters.DQ);
            Zero(parameters.InverseQ);
        }
    }

    /// <summary>k, the modulus length in bytes (256 for RSA-2048).</summary>
    public int ModulusLength { get; }

    /// <summary>The largest input the padding admits: k − 11.</summary>
    public int MaxInput => ModulusLength - 11;

    /// <inheritdoc/>
    public override CardKeyAlgorithm Algorithm => CardKeyAlgorithm.Rsa2048;

    /// <inheritdoc/>
    public override bool AcceptsInput(int length) => length >= 1 && length <= MaxInput;

    /// <inheritdoc/>
    public override byte[] Sign(ReadOnlySpan<byte> input) => SignPadded(input);

    /// <summary>The issuer channel answers the 256-byte modulus (the exponent is always 65537).</summary>
    public override byte[] PublicKeyAnswer() => PublicParameters.Modulus!;

    /// <summary>The public half, for tests and the issuer channel.</summary>
    public RSAParameters PublicParameters => _rsa.ExportParameters(includePrivateParameters: false);

    /// <summary>Pads <paramref name="input"/> with PKCS#1 v1.5 type 1 and applies the private key.</summary>
    /// <exception cref="ArgumentException">Input empty or longer than <see cref="MaxInput"/>.</exception>
    public byte[] SignPadded(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty || input.Length > MaxInput)
        {
            throw new ArgumentException("Input must be 1 to k−11 bytes.", nameof(input));
        }

        foreach (var (name, prefix, hashLength) in DigestInfoPrefixes)
        {
            if (input.Length == prefix.Length + hashLength && input.StartsWith(prefix))
            {
                return _rsa.SignHash(input[prefix.Length..].ToArray(), name, RSASignaturePadding.Pkcs1);
            }
        }

        return SignPaddedWithCrt(input);
    }

    /// <summary>The general path: PKCS#1 v1.5 type-1 block, then the RSA private operation with the CRT.</summary>
    public byte[] SignPaddedWithCrt(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty || input.Length > MaxInput)
        {
            throw new ArgumentException("Input must be 1 to k−11 bytes.", nameof(input));
        }

        var block = new byte[ModulusLength];
        block[1] = 0x01;
        var psEnd = ModulusLength - input.Length - 1;
        block.AsSpan(2, psEnd - 2).Fill(0xFF);
        input.CopyTo(block.AsSpan(psEnd + 1));
        var m = new BigInteger(block, isUnsigned: true, isBigEndian: true);

        var m1 = BigInteger.ModPow(m, _dp, _p);
        var m2 = BigInteger.ModPow(m, _dq, _q);
        var h = _qInv * (m1 - m2) % _p;
        if (h.Sign < 0)
        {
            h += _p;
        }

        var s = m2 + (h * _q);
        var signature = new byte[ModulusLength];
        var bytes = s.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(signature.AsSpan(ModulusLength - bytes.Length));
        return signature;
    }

    /// <summary>Signs with the platform signer: <paramref name="data"/> is a hash when <paramref name="isHash"/>.</summary>
    public byte[] SignWithPlatform(ReadOnlySpan<byte> data, bool isHash, RSASignaturePadding padding) => isHash
        ? _rsa.SignHash(data.ToArray(), HashAlgorithmName.SHA256, padding)
        : _rsa.SignData(data.ToArray(), HashAlgorithmName.SHA256, padding);

    public override void Dispose() => _rsa.Dispose();

    private static BigInteger Positive(byte[]? value) =>
        new(value ?? throw new CryptographicException("Incomplete private key."), isUnsigned: true, isBigEndian: true);

    private static void Zero(byte[]? buffer)
    {
        if (buffer is not null)
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
