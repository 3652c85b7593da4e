using System.Net;
using System.Text;

namespace Jpki.Cli.Tests.SignHelper;

/// <summary>
/// The helper with a next-generation card (ECDSA P-384, <c>--profile nextgen</c>), as <c>jpki sign --card</c> works with
/// it: the three formats, each judged by openssl, xmlsec1 and pdfsig with the P-384 sign CA as the only root.
/// </summary>
public sealed class NextGenerationSignHelperTests(NextGenerationHelperCardFixture card) : IClassFixture<NextGenerationHelperCardFixture>
{
    [Fact]
    public async Task Sign_NextGenerationCard_CadesXadesPadesJudgedOutside()
    {
        Assert.Contains("NIST CURVE: P-384", OpenSsl.Run("x509", "-in", card.SignCaPem, "-noout", "-text").Stdout, StringComparison.Ordinal);
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\nABC123\nABC123\n", TimeProvider.System);

        using var cades = await helper.SignAsync(SignHelperFormatsTests.Json, "format=cades");
        Assert.True(cades.StatusCode == HttpStatusCode.OK, await cades.Content.ReadAsStringAsync());
        var p7s = await cades.Content.ReadAsByteArrayAsync();
        var folder = card.NewFolder();
        await File.WriteAllBytesAsync(Path.Combine(folder, "a.p7s"), p7s);
        Assert.Contains("ecdsa-with-SHA384", OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", Path.Combine(folder, "a.p7s")).Stdout, StringComparison.Ordinal);
        await Judges.AssertCmsAsync(folder, card.SignCaPem, SignHelperFormatsTests.Json, p7s);

        using var xades = await helper.SignAsync(SignHelperFormatsTests.Xml, "format=xades");
        Assert.True(xades.StatusCode == HttpStatusCode.OK, await xades.Content.ReadAsStringAsync());
        var xml = await xades.Content.ReadAsByteArrayAsync();
        Assert.Contains("xmldsig-more#ecdsa-sha384", Encoding.UTF8.GetString(xml), StringComparison.Ordinal);
        await Judges.AssertXmlAsync(card.NewFolder(), card.SignCaPem, xml, detachedName: null, document: null);

        using var pades = await helper.SignAsync(TestPdf.Classic(), "format=pades");
        Assert.True(pades.StatusCode == HttpStatusCode.OK, await pades.Content.ReadAsStringAsync());
        await Judges.AssertPdfAsync(card.NewFolder(), await pades.Content.ReadAsByteArrayAsync());
    }
}
