using System.Security.Cryptography;

namespace Jpki.Verification.Cms;

/// <summary>The digest algorithms accepted in CMS and DigestInfo: SHA-256, SHA-384, SHA-512 (SHA-1 is refused).</summary>
internal static class DigestAlgorithms
{
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";

    public static bool TryGet(string? oid, out HashAlgorithmName name)
    {
        name = oid switch
        {
            Sha256 => HashAlgorithmName.SHA256,
            Sha384 => HashAlgorithmName.SHA384,
            Sha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return name.Name is not null;
    }

    public static byte[] Hash(HashAlgorithmName name, ReadOnlySpan<byte> data)
    {
        if (name == HashAlgorithmName.SHA384)
        {
            return SHA384.HashData(data);
        }

        return name == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);
    }
}
