using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Revocation;

/// <summary>
/// CRLs found by the certificate fuzz target (docs/fuzzing.md): entries are indexed at decode and decoded on look-up, and
/// a malformed entry extension escaped the look-up as AsnContentException.
/// </summary>
public class CrlFuzzRegressionTests
{
    [Theory]
    [InlineData("crl-entry-extensions-not-sequence.der")]
    [InlineData("crl-entry-reason-not-enumerated.der")]
    [InlineData("crl-entry-critical-flag-bad-length.der")]
    public void TryGetEntry_FuzzCrash_ThrowsRevocationDataException(string file)
    {
        var crl = CertificateRevocationList.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", file)));

        Assert.Throws<RevocationDataException>(() => crl.TryGetEntry([0x10, 0x01], out _));
    }

    [Fact]
    public async Task CheckAsync_SignedCrlWithMalformedEntry_UnknownInsteadOfException()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Serial = 0x1234 });
        var crl = TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6), (certificate, TestPki.Now.AddHours(-1), X509RevocationReason.KeyCompromise));
        // The reason code ENUMERATED 1 (04 03 0A 01 01) becomes an INTEGER; the CA signs the result, as a faulty CA would.
        var source = new CrlRevocationSource().Add(Resign(Replace(Tbs(crl), [0x04, 0x03, 0x0A, 0x01, 0x01], [0x04, 0x03, 0x02, 0x01, 0x01])));

        var status = await source.CheckAsync(certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
    }

    private static byte[] Tbs(byte[] crl) => new AsnReader(crl, AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();

    private static byte[] Replace(byte[] data, byte[] from, byte[] to)
    {
        var at = data.AsSpan().IndexOf(from);
        Assert.True(at >= 0, "the reason code was not found in the CRL");
        var copy = (byte[])data.Clone();
        to.CopyTo(copy, at);
        return copy;
    }

    private static byte[] Resign(byte[] tbs)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.11");
                writer.WriteNull();
            }

            writer.WriteBitString(TestPki.SignCaKey.SignData(tbs, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        return writer.Encode();
    }
}
