using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Cms;
using Jpki.Verification.Tests.Support;
using Jpki.Verification.Trust;

namespace Jpki.Verification.Tests.Security;

/// <summary>
/// Issue 12 (trust): a root that carries the J-LIS name is trusted only when its fingerprint is pinned; every public
/// J-LIS root we have the bytes of is pinned and its pin agrees with openssl; the verdict says whether the anchor was pinned.
/// </summary>
[Trait("Category", "Security")]
public class TrustPinTests
{
    private static readonly X500DistinguishedName JlisSignName = new(JlisRoots.SignCaName);

    [Fact]
    public void AddRoot_SelfMadeRootWithTheJlisName_Refused()
    {
        using var key = RSA.Create(2048);
        var fake = SelfSignedCa(JlisSignName, key);

        var refused = Assert.Throws<TrustStoreException>(() => new TrustStoreBuilder().AddRoot(fake));

        Assert.Contains("pin", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(fake.GetCertHashString(HashAlgorithmName.SHA256), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRoot_JlisNameInAnotherStringEncoding_StillRefused()
    {
        // X500DistinguishedName from text writes PrintableString where it can; the real roots use UTF8String. Same name.
        using var key = RSA.Create(2048);
        var fake = SelfSignedCa(new X500DistinguishedName("C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems"), key);

        Assert.Throws<TrustStoreException>(() => new TrustStoreBuilder().AddRoot(fake.RawData));
    }

    [Fact]
    public void AddRoot_JlisNamedRootWhoseFingerprintWasPinned_Accepted()
    {
        using var key = RSA.Create(2048);
        var own = SelfSignedCa(JlisSignName, key);

        var store = new TrustStoreBuilder().PinJlisFingerprint(own.GetCertHashString(HashAlgorithmName.SHA256)).AddRoot(own).Build();

        Assert.True(store.IsPinned(own));
    }

    [Fact]
    public void BuiltInRoots_EveryPublishedRootWeHold_IsPinnedAndOpensslAgrees()
    {
        var roots = JlisRoots.Certificates();

        // authca01, authca03, signca01, signca03 (jpki/myna src/ta); signca02 is pinned by fingerprint only.
        Assert.Equal(["authca01", "authca03", "signca01", "signca03"], roots.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, root) in roots)
        {
            var pem = WritePem(root);
            var (code, stdout, stderr) = OpenSsl.Run("x509", "-noout", "-fingerprint", "-sha256", "-in", pem);
            File.Delete(pem);
            Assert.True(code == 0, stderr);
            var openssl = stdout.Trim().Split('=')[1].Replace(":", string.Empty, StringComparison.Ordinal);
            Assert.Equal(openssl, JlisRoots.PinnedSha256ByName[name]);
            Assert.True(new TrustStoreBuilder().AddRoot(root).Build().IsPinned(root), name);
        }

        Assert.Equal(JlisRoots.SignCa02Sha256, JlisRoots.PinnedSha256ByName["signca02"]);
        Assert.Equal(6 - 1, JlisRoots.PinnedSha256.Count); // authca02: neither its bytes nor its fingerprint are public here
    }

    [Fact]
    public void BuiltInRoots_MatchThePartialFingerprintsOfTheReference()
    {
        foreach (var (name, partial) in JlisRoots.PartialSha256)
        {
            var parts = partial.Split('…');
            Assert.StartsWith(parts[0], JlisRoots.PinnedSha256ByName[name], StringComparison.Ordinal);
            Assert.EndsWith(parts[1], JlisRoots.PinnedSha256ByName[name], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Verdict_SaysWhetherTheAnchorWasPinned()
    {
        var signature = CmsSignatureBuilder.Sign("x"u8.ToArray(), TestPki.Issue(), TestPki.SubjectKey, detached: false, TestPki.Now.AddHours(-1));
        var configured = await Verifiers.Create().VerifyAttachedAsync(signature);
        var pinnedTrust = new TrustStoreBuilder().PinJlisFingerprint(TestPki.SignCa.GetCertHashString(HashAlgorithmName.SHA256)).AddRoot(TestPki.SignCa).AddRoot(TestPki.AuthCa).Build();
        var pinned = await Verifiers.Create(trust: pinnedTrust).VerifyAttachedAsync(signature);

        Assert.True(configured.IsValid);
        Assert.False(configured.Path!.AnchorPinned);
        Assert.True(pinned.IsValid);
        Assert.True(pinned.Path!.AnchorPinned);
    }

    private static X509Certificate2 SelfSignedCa(X500DistinguishedName name, RSA key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        using var self = request.CreateSelfSigned(TestPki.Now.AddYears(-1), TestPki.Now.AddYears(9));
        return X509CertificateLoader.LoadCertificate(self.RawData);
    }

    private static string WritePem(X509Certificate2 certificate)
    {
        var path = Path.Combine(Path.GetTempPath(), "jpki-pin-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
