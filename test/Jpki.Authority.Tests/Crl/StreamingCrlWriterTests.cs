using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Crl;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Crl;

public sealed class StreamingCrlWriterTests : IDisposable
{
    private static readonly DateTimeOffset ThisUpdate = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private readonly Jpki.Authority.Ca.IssuingCa _ca = TestKeys.Ca(CertificateKind.Signature);

    public void Dispose() => _ca.Dispose();

    private static readonly RevokedEntry[] Three =
    [
        new("4A000000000000000000000000000001", new DateTimeOffset(2026, 11, 20, 1, 2, 3, TimeSpan.Zero), RevocationReason.AffiliationChanged),
        new("4A000000000000000000000000000002", new DateTimeOffset(2026, 11, 21, 1, 2, 3, TimeSpan.Zero), RevocationReason.KeyCompromise),
        new("0B", new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero), RevocationReason.Unspecified),
    ];

    private async Task<byte[]> BuildAsync(IEnumerable<RevokedEntry> entries, long number = 7)
    {
        using var output = new MemoryStream();
        var document = await StreamingCrlWriter.WriteAsync(_ca, ToAsync(entries), number, ThisUpdate, ThisUpdate.AddHours(24), output, CancellationToken.None);
        Assert.Equal(output.Length, document.Length);
        return output.ToArray();
    }

    [Fact]
    public async Task WriteAsync_FixedInputs_MatchesGoldenDer()
    {
        Golden.AssertMatches("sign.crl", await BuildAsync(Three));
    }

    [Fact]
    public async Task WriteAsync_ThreeEntries_BclReadsNumberAndEntries()
    {
        var der = await BuildAsync(Three);
        var builder = CertificateRevocationListBuilder.Load(der, out var number);
        Assert.Equal(new BigInteger(7), number);
        Assert.True(builder.RemoveEntry(Convert.FromHexString("4A000000000000000000000000000002")));
        Assert.True(builder.RemoveEntry([0x0B]));
    }

    [Fact]
    public async Task OpenSsl_ThreeEntries_VerifiesAndListsReasons()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", _ca.CertificateDer));
        File.WriteAllBytes(dir.File("sign.crl"), await BuildAsync(Three));
        var (exit, text, error) = OpenSsl.Run("crl", "-inform", "DER", "-in", dir.File("sign.crl"), "-CAfile", dir.File("ca.pem"), "-verify", "-text", "-noout");
        Assert.True(exit == 0, text + error);
        Assert.Contains("verify OK", text + error, StringComparison.Ordinal);
        Assert.Contains("Version 2", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 CRL Number", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Authority Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("Serial Number: 4A000000000000000000000000000002", text, StringComparison.Ordinal);
        Assert.Contains("Key Compromise", text, StringComparison.Ordinal);
        Assert.Contains("Affiliation Changed", text, StringComparison.Ordinal);
        Assert.Contains("Serial Number: 0B", text, StringComparison.Ordinal);
        Assert.Contains("Next Update: Nov 26 00:00:00 2026 GMT", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_NoEntries_VerifiesWithoutRevokedList()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", _ca.CertificateDer));
        File.WriteAllBytes(dir.File("empty.crl"), await BuildAsync([]));
        var (exit, text, error) = OpenSsl.Run("crl", "-inform", "DER", "-in", dir.File("empty.crl"), "-CAfile", dir.File("ca.pem"), "-verify", "-text", "-noout");
        Assert.True(exit == 0, text + error);
        Assert.Contains("No Revoked Certificates", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ManyEntries_LengthsStayConsistent()
    {
        // Crosses the one-, two- and three-octet DER length boundaries of revokedCertificates and the TBS.
        var entries = Enumerable.Range(1, 3000).Select(i => new RevokedEntry(i.ToString("X6", System.Globalization.CultureInfo.InvariantCulture), ThisUpdate.AddDays(-1), (RevocationReason)(i % 6))).ToList();
        var der = await BuildAsync(entries);
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", _ca.CertificateDer));
        File.WriteAllBytes(dir.File("big.crl"), der);
        var (exit, text, error) = OpenSsl.Run("crl", "-inform", "DER", "-in", dir.File("big.crl"), "-CAfile", dir.File("ca.pem"), "-verify", "-text", "-noout");
        Assert.True(exit == 0, error);
        Assert.Equal(3000, text.Split("Serial Number:").Length - 1);
    }

    private static async IAsyncEnumerable<RevokedEntry> ToAsync(IEnumerable<RevokedEntry> entries, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return entry;
        }
    }
}
