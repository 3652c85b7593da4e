using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Cms;

/// <summary>
/// Inputs found by the cms fuzz target (fuzz/run.sh, docs/fuzzing.md), kept as the bytes AFL++ produced. Each once made
/// verification throw instead of returning a verdict.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly byte[] Content = "OpenJpki fuzz content\n"u8.ToArray();

    public static TheoryData<string> Crashes() =>
    [
        // SignedCms decodes the signed attributes lazily: a corrupt attribute threw CryptographicException from SignerInfos.
        "cms-corrupt-signed-attribute.p7s",
        // SignedCms decodes the embedded certificates lazily: a corrupt one threw CryptographicException from signer.Certificate.
        "cms-corrupt-certificate.p7s",
        "cms-corrupt-certificate-detached.p7s",
    ];

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task VerifyAttachedAsync_FuzzCrash_ReturnsMalformed(string file)
    {
        var cms = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", file));

        var result = await Verifiers.Create().VerifyAttachedAsync(cms);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task VerifyDetachedAsync_FuzzCrash_ReturnsMalformed(string file)
    {
        var cms = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", file));

        var result = await Verifiers.Create().VerifyDetachedAsync(cms, Content);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
    }
}
