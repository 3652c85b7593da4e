using System.Text;

namespace Jpki.Cli.Tests.SignHelper;

/// <summary>The outside judges of the helper's answers: openssl (CMS), xmlsec1 (XML signatures), pdfsig (PDF).</summary>
internal static class Judges
{
    /// <summary><c>openssl cms -verify</c> accepts <paramref name="p7s"/> over <paramref name="document"/>, and refuses it over a changed document and when a byte of the signature value is flipped.</summary>
    public static async Task AssertCmsAsync(string folder, string caPem, byte[] document, byte[] p7s)
    {
        var content = Path.Combine(folder, "document.bin");
        var signature = Path.Combine(folder, "document.p7s");
        await File.WriteAllBytesAsync(content, document);
        await File.WriteAllBytesAsync(signature, p7s);
        string[] Verify(string sig, string data) => ["cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", data, "-CAfile", caPem, "-purpose", "any", "-out", Path.Combine(folder, "out.bin")];
        var ok = OpenSsl.Run(Verify(signature, content));
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);

        var changed = Path.Combine(folder, "changed.bin");
        var other = (byte[])document.Clone();
        other[^2] ^= 0x01;
        await File.WriteAllBytesAsync(changed, other);
        Assert.NotEqual(0, OpenSsl.Run(Verify(signature, changed)).ExitCode);

        // The signature value is the last field of the one SignerInfo (no unsigned attributes at B-B): its last byte.
        var tampered = Path.Combine(folder, "tampered.p7s");
        var flipped = (byte[])p7s.Clone();
        flipped[^1] ^= 0x01;
        await File.WriteAllBytesAsync(tampered, flipped);
        Assert.NotEqual(0, OpenSsl.Run(Verify(tampered, content)).ExitCode);
    }

    /// <summary>
    /// <c>xmlsec1 --verify</c> accepts the signed XML (or, with <paramref name="detachedName"/>, the detached signature with
    /// the document beside it under that name), and refuses it once the signed text is changed.
    /// </summary>
    public static async Task AssertXmlAsync(string folder, string caPem, byte[] signed, string? detachedName, byte[]? document)
    {
        var file = Path.Combine(folder, "signed.xml");
        await File.WriteAllBytesAsync(file, signed);
        if (detachedName is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, detachedName), document!);
        }

        var ok = await Xmlsec1Async(folder, caPem, file);
        Assert.True(ok.Exit == 0, ok.Error);

        if (detachedName is not null)
        {
            var changed = Encoding.UTF8.GetString(document!).Replace("就職先", "転職先", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(folder, detachedName), changed);
        }
        else
        {
            await File.WriteAllTextAsync(file, Encoding.UTF8.GetString(signed).Replace("交付請求", "廃止請求", StringComparison.Ordinal));
        }

        Assert.NotEqual(0, (await Xmlsec1Async(folder, caPem, file)).Exit);
    }

    /// <summary><c>pdfsig</c> says "Signature is Valid." for every signature of <paramref name="signed"/>, and not once a byte of the signed page text changed.</summary>
    public static async Task AssertPdfAsync(string folder, byte[] signed)
    {
        var file = Path.Combine(folder, "signed.pdf");
        await File.WriteAllBytesAsync(file, signed);
        var pdfsig = Encoding.UTF8.GetString((await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nocert", file])).Output);
        Assert.Contains("Signature Validation: Signature is Valid.", pdfsig, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature is Invalid", pdfsig, StringComparison.Ordinal);

        var bytes = (byte[])signed.Clone();
        var at = Encoding.Latin1.GetString(bytes).IndexOf("Juminhyo", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[at] = (byte)'j';
        var tampered = Path.Combine(folder, "tampered.pdf");
        await File.WriteAllBytesAsync(tampered, bytes);
        Assert.DoesNotContain("Signature is Valid.", Encoding.UTF8.GetString((await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nocert", tampered])).Output), StringComparison.Ordinal);
    }

    private static Task<(int Exit, byte[] Output, string Error)> Xmlsec1Async(string folder, string caPem, string file)
        => ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--verify", "--trusted-pem", caPem, "--id-attr:Id", SignHelperFormatsTests.SignedPropertiesId, file], workingDirectory: folder);
}
