using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Keys;

/// <summary>Needs SoftHSM2 (Debian package softhsm2) and openssl.</summary>
[Collection("softhsm")]
public sealed class Pkcs11CaKeyTests
{
    [Fact]
    public async Task Pkcs11Key_SignsCaCertificateEeCertificateAndCrl_OpenSslVerifiesAll()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
        var key = Pkcs11CaKey.Open(SoftHsmToken.Module, SoftHsmToken.Label, SoftHsmToken.UserPin, "jpki-sign-ca", generateIfMissing: true);
        Assert.True(key.PrivateKeyIsNonExtractable());
        using var sign = IssuingCa.CreateRoot(CertificateKind.Signature, CaNames.Test(CertificateKind.Signature), key, [0x01], clock.GetUtcNow());
        using var auth = TestKeys.Ca(CertificateKind.Authentication);
        var registry = new InMemoryRegistry();
        var authority = new CertificateAuthority(sign, auth, registry, new InMemoryAuditLog(), clock, new AuthorityOptions());
        var record = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        await authority.RevokeAsync(record.SerialHex, RevocationReason.AffiliationChanged, null, "test", CancellationToken.None);

        using var crl = new MemoryStream();
        await StreamingCrlWriter.WriteAsync(sign, registry.StreamRevokedAsync(CertificateKind.Signature, clock.GetUtcNow(), CancellationToken.None), 1, clock.GetUtcNow(), clock.GetUtcNow().AddDays(1), crl, CancellationToken.None);

        using var dir = new TempDir();
        File.WriteAllText(dir.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", sign.CertificateDer));
        File.WriteAllText(dir.File("ee.pem"), OpenSsl.Pem("CERTIFICATE", record.Der.ToArray()));
        File.WriteAllBytes(dir.File("sign.crl"), crl.ToArray());
        var root = OpenSsl.Run("verify", "-CAfile", dir.File("ca.pem"), "-check_ss_sig", "-attime", "1800000000", dir.File("ca.pem"));
        Assert.True(root.ExitCode == 0, root.Stdout + root.Stderr);
        var ee = OpenSsl.Run("verify", "-CAfile", dir.File("ca.pem"), "-attime", "1800000000", dir.File("ee.pem"));
        Assert.True(ee.ExitCode == 0, ee.Stdout + ee.Stderr);
        var list = OpenSsl.Run("crl", "-inform", "DER", "-in", dir.File("sign.crl"), "-CAfile", dir.File("ca.pem"), "-verify", "-text", "-noout");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("Serial Number: " + record.SerialHex, list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ExistingKeyByLabel_SamePublicKey()
    {
        string first;
        using (var created = Pkcs11CaKey.Open(SoftHsmToken.Module, SoftHsmToken.Label, SoftHsmToken.UserPin, "jpki-auth-ca", generateIfMissing: true))
        {
            first = Convert.ToHexString(created.PublicKey.EncodedKeyValue.RawData);
        }

        using var reopened = Pkcs11CaKey.Open(SoftHsmToken.Module, SoftHsmToken.Label, SoftHsmToken.UserPin, "jpki-auth-ca", generateIfMissing: false);
        Assert.Equal(first, Convert.ToHexString(reopened.PublicKey.EncodedKeyValue.RawData));
        var hash = SHA256.HashData("data"u8);
        using var rsa = reopened.PublicKey.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyHash(hash, reopened.SignSha256Hash(hash), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Open_WrongPin_DomainExceptionWithoutPin()
    {
        var ex = Assert.Throws<Pkcs11KeyException>(() => Pkcs11CaKey.Open(SoftHsmToken.Module, SoftHsmToken.Label, "0000", "jpki-sign-ca", generateIfMissing: false));
        Assert.DoesNotContain("0000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingKeyWithoutGenerate_DomainException()
    {
        Assert.Throws<Pkcs11KeyException>(() => Pkcs11CaKey.Open(SoftHsmToken.Module, SoftHsmToken.Label, SoftHsmToken.UserPin, "no-such-key", generateIfMissing: false));
    }
}
