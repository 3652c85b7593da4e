using System.Security.Cryptography;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.Tests.Interop;

/// <summary>openssl, not us, judges the next-generation card's ECDSA P-384 signatures and its certificate chain.</summary>
public sealed class NextGenerationOpensslTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jpki-nextgen-openssl-").FullName;

    [Fact]
    public void CardSignature_OpensslDgstSha384Verifies_TamperedRefused_ChainVerifies()
    {
        using var card = TestCard.Create("nextgen");
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        Assert.True(client.Verify(PinKind.SignaturePassword, TestCard.SignPassword).Verified);
        var data = "申請書 (application form) signed on the next-generation card"u8.ToArray();
        var (signature, algorithm) = client.SignData(CertificateKind.Signature, data);
        Assert.Equal("ecdsa-with-SHA384", algorithm);
        Assert.Equal(client.SignEcdsaHash(CertificateKind.Signature, SHA384.HashData(data)).Length, EcdsaSignature.ToRaw(signature, 48).Length);

        var certificate = Write("sign.der", card.Certificates!.Signature);
        var ca = Write("signca.der", card.Certificates.SignatureCa);
        var dataFile = Write("data.bin", data);
        var signatureFile = Write("sig.der", signature);
        var (code, _, stderr) = ExternalTool.Run("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", certificate, "-pubkey", "-noout", "-out", Path.Combine(_directory, "pub.pem")]);
        Assert.True(code == 0, stderr);

        var verified = ExternalTool.Run("/usr/bin/openssl", ["dgst", "-sha384", "-verify", Path.Combine(_directory, "pub.pem"), "-signature", signatureFile, dataFile]);
        Assert.True(verified.ExitCode == 0, verified.Stdout + verified.Stderr);
        Assert.Contains("Verified OK", verified.Stdout, StringComparison.Ordinal);

        data[0] ^= 1;
        var tampered = ExternalTool.Run("/usr/bin/openssl", ["dgst", "-sha384", "-verify", Path.Combine(_directory, "pub.pem"), "-signature", signatureFile, Write("tampered.bin", data)]);
        Assert.NotEqual(0, tampered.ExitCode);

        // The throw-away development CA is P-384 too: openssl checks ecdsa-with-SHA384 on the certificate.
        var text = ExternalTool.Run("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", certificate, "-noout", "-text"]);
        Assert.Contains("ecdsa-with-SHA384", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("NIST CURVE: P-384", text.Stdout, StringComparison.Ordinal);
        var pem = Path.Combine(_directory, "sign.pem");
        var caPem = Path.Combine(_directory, "signca.pem");
        ExternalTool.Run("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", certificate, "-out", pem]);
        ExternalTool.Run("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", ca, "-out", caPem]);
        var chain = ExternalTool.Run("/usr/bin/openssl", ["verify", "-attime", "1796000000", "-CAfile", caPem, pem]);
        Assert.True(chain.ExitCode == 0, chain.Stdout + chain.Stderr);
        var wrongCa = Path.Combine(_directory, "authca.pem");
        ExternalTool.Run("/usr/bin/openssl", ["x509", "-inform", "DER", "-in", Write("authca.der", card.Certificates.AuthenticationCa), "-out", wrongCa]);
        Assert.NotEqual(0, ExternalTool.Run("/usr/bin/openssl", ["verify", "-attime", "1796000000", "-CAfile", wrongCa, pem]).ExitCode);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
