using System.Runtime.CompilerServices;

namespace Jpki.Authority.Tests.Support;

/// <summary>
/// Committed expected DER files (TestData/golden). Run with JPKI_UPDATE_GOLDEN=1 once to (re)write them after a
/// deliberate profile change, then review the diff with `openssl asn1parse`.
/// </summary>
public static class Golden
{
    public static void AssertMatches(string name, byte[] actual, [CallerFilePath] string caller = "")
    {
        var sourceFile = Path.Combine(Path.GetDirectoryName(caller)!, "..", "TestData", "golden", name);
        if (Environment.GetEnvironmentVariable("JPKI_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sourceFile)!);
            File.WriteAllBytes(sourceFile, actual);
        }

        var expected = File.ReadAllBytes(TestKeys.DataPath(Path.Combine("golden", name)));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }
}
