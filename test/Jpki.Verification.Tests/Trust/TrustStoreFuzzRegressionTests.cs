using Jpki.Verification.Trust;

namespace Jpki.Verification.Tests.Trust;

/// <summary>Roots found by the certificate fuzz target (docs/fuzzing.md) that escaped AddRoot as CryptographicException.</summary>
public class TrustStoreFuzzRegressionTests
{
    [Theory]
    [InlineData("root-corrupt-basic-constraints.der")] // the BCL decodes basicConstraints on first use
    [InlineData("root-signature-unused-bits.der")] // the loader accepts it, SignedDer refuses it
    public void AddRoot_FuzzCrash_ThrowsTrustStoreException(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", file));

        Assert.Throws<TrustStoreException>(() => new TrustStoreBuilder().AddRoot(bytes));
    }
}
