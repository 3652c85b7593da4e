using System.Security.Cryptography.X509Certificates;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Fuzz;

/// <summary>
/// The relying party the cms and certificate targets verify with: the seed corpus's test root (so mutated seeds get past
/// path building into the JPKI profile checks) and a real J-LIS root as trust anchors, no revocation source (look-ups
/// need the network) and a fixed clock, so every input gives the same verdict every time.
/// </summary>
internal static class FuzzVerifier
{
    public const string SeedRootResource = "fuzz-root.der";

    public static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    public static X509Certificate2 JlisRoot { get; } = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(ReadResource("jlis-signca03.pem")!));

    /// <summary>The seed corpus's root (fuzz/corpus/certificate/root.der), or null before the seeds were written.</summary>
    public static X509Certificate2? SeedRoot { get; } = ReadResource(SeedRootResource) is { } der ? X509CertificateLoader.LoadCertificate(der) : null;

    public static JpkiVerifier Create()
    {
        var trust = new TrustStoreBuilder().AddJlisRoot(JlisRoot);
        if (SeedRoot is { } root)
        {
            trust.AddRoot(root);
        }

        return new JpkiVerifier(trust.Build(), Array.Empty<IRevocationSource>(), new FixedClock(), new VerifierOptions { UnsafeSkipRevocationCheck = true });
    }

    private static byte[]? ReadResource(string name)
    {
        using var stream = typeof(FuzzVerifier).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
