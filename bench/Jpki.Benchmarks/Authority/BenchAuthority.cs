using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Benchmarks.Authority;

/// <summary>Two freshly generated software CAs over a <see cref="BenchRegistry"/>.</summary>
public static class BenchAuthority
{
    public static CertificateAuthority Create(BenchRegistry registry, TimeProvider clock, AuthorityOptions? options = null)
    {
        var now = clock.GetUtcNow();
        var sign = IssuingCa.CreateRoot(CertificateKind.Signature, CaNames.Test(CertificateKind.Signature), SoftwareCaKey.Generate(), [0x01], now.AddDays(-1));
        var auth = IssuingCa.CreateRoot(CertificateKind.Authentication, CaNames.Test(CertificateKind.Authentication), SoftwareCaKey.Generate(), [0x02], now.AddDays(-1));
        return new CertificateAuthority(sign, auth, registry, new NullAuditLog(), clock, options ?? new AuthorityOptions());
    }

    public static byte[][] PublicKeys(int count)
    {
        // Pregenerated holder keys (the card generates them in reality); a few distinct keys are enough.
        var keys = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            using var rsa = RSA.Create(2048);
            keys[i] = rsa.ExportSubjectPublicKeyInfo();
        }

        return keys;
    }

    public static SignatureSubject Subject() => new("Tokyo-to", "Kiyose-shi", "公的　太郎", "00000", "東京都清瀬市中里５丁目８４２番地", SignatureSubject.NoSubstitution("東京都清瀬市中里５丁目８４２番地"), new DateOnly(1980, 2, 17), Sex.Male);
}
