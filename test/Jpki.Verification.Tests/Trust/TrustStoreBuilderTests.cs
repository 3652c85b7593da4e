using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Tests.Support;
using Jpki.Verification.Trust;

namespace Jpki.Verification.Tests.Trust;

public class TrustStoreBuilderTests
{
    private static readonly string SignCa03Pem = Path.Combine(AppContext.BaseDirectory, "TestData", "jlis-signca03.pem");

    [Fact]
    public void AddJlisRoot_RealSignCa03_AcceptedByPinnedFingerprint()
    {
        var root = X509CertificateLoader.LoadCertificateFromFile(SignCa03Pem);
        var store = new TrustStoreBuilder().AddJlisRoot(root).Build();

        Assert.True(store.Contains(root));
        Assert.Equal(JlisRoots.SignCa03Sha256, root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    [Fact]
    public void AddJlisRoot_UnpinnedRoot_Refused()
    {
        Assert.Throws<TrustStoreException>(() => new TrustStoreBuilder().AddJlisRoot(TestPki.SignCa));
    }

    [Fact]
    public void AddJlisRoot_AfterPinning_Accepted()
    {
        var fingerprint = TestPki.SignCa.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var store = new TrustStoreBuilder().PinJlisFingerprint(fingerprint).AddJlisRoot(TestPki.SignCa).Build();

        Assert.Single(store.Roots);
    }

    [Fact]
    public void AddRoot_EndEntityCertificate_Refused()
    {
        Assert.Throws<TrustStoreException>(() => new TrustStoreBuilder().AddRoot(TestPki.Issue()));
    }

    [Fact]
    public void AddRootsFromFile_Pem_LoadsRoot()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, TestPki.SignCa.ExportCertificatePem());
            var store = new TrustStoreBuilder().AddRootsFromFile(path).Build();
            Assert.True(store.Contains(TestPki.SignCa));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CandidatesFor_TwoGenerationsOneName_ReturnsBoth()
    {
        var store = Verifiers.Trust();

        Assert.Equal(2, store.CandidatesFor(TestPki.SignCaName).Count);
    }

    [Fact]
    public void PinJlisFingerprint_NotHex_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TrustStoreBuilder().PinJlisFingerprint("D227F6CD"));
    }
}
