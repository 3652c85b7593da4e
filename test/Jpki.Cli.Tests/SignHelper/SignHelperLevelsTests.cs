using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Jpki.Cli.Commands.SignHelper;
using Jpki.Cli.Tests.Sign;

namespace Jpki.Cli.Tests.SignHelper;

/// <summary>
/// <c>level=B-T|B-LT|B-LTA</c> from a helper started with <c>--tsa</c> of a served authority: the answer reaches the level
/// (our verifier's report says so and passes it) and the outside judge still accepts it — openssl the CMS, xmlsec1 the
/// XML, pdfsig the PDF; a TSA that cannot be reached is a clear 502.
/// </summary>
[Collection(ServedAuthorityCollection.Name)]
public sealed class SignHelperLevelsTests(ServedAuthority authority)
{
    [Theory]
    [InlineData("format=cades&level=B-T", "B-T")]
    [InlineData("format=cades&level=B-LTA", "B-LTA")]
    [InlineData("format=xades&level=B-LT", "B-LT")]
    [InlineData("format=xades&placement=detached&name=request.json&level=B-LTA", "B-LTA")]
    [InlineData("format=pades&level=B-T", "B-T")]
    [InlineData("format=pades&level=B-LTA", "B-LTA")]
    public async Task Sign_Level_ReportSaysItAndPasses_OutsideJudgeAgrees(string query, string level)
    {
        var folder = Directory.CreateDirectory(authority.File("helper-" + Guid.NewGuid().ToString("N"))).FullName;
        var options = new SignHelperOptions(0, [RunningHelper.City]) { Tsa = authority.Tsa, Chain = [X509CertificateLoader.LoadCertificateFromFile(authority.TsaRoot)] };
        await using var helper = await RunningHelper.StartAsync(authority.NewCard(), "ABC123\n", TimeProvider.System, options);
        var format = query[7..12];
        var body = format switch
        {
            "pades" => TestPdf.Classic(),
            "xades" when query.Contains("detached", StringComparison.Ordinal) => SignHelperFormatsTests.Json,
            "xades" => SignHelperFormatsTests.Xml,
            _ => SignHelperFormatsTests.Json,
        };

        using var response = await helper.SignAsync(body, query);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadAsByteArrayAsync();
        var document = Path.Combine(folder, format == "xades" ? "request.json" : "document.bin");
        var signature = Path.Combine(folder, format switch { "pades" => "signed.pdf", "xades" => "signature.xml", _ => "document.p7s" });
        await File.WriteAllBytesAsync(document, body);
        await File.WriteAllBytesAsync(signature, answer);
        string[] what = format == "pades" || (format == "xades" && !query.Contains("detached", StringComparison.Ordinal)) ? ["--in", signature] : ["--in", document, "--sig", signature];
        var report = Path.Combine(folder, "report.json");
        var verified = await CliRunner.RunAsync(["verify", .. what, "--trust", authority.SignCa, "--tsa-trust", authority.TsaRoot, "--ocsp", new Uri(authority.Base, "/ocsp").AbsoluteUri, "--allow-test-policy", "--report", report, "--json"]);
        Assert.True(File.Exists(report), verified.Stdout + verified.Stderr);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var first = json.RootElement.GetProperty("signatures")[0];
            Assert.True(first.GetProperty("indication").GetString() == "TOTAL-PASSED", first.ToString());
            Assert.Equal(level, first.GetProperty("level").GetString());
        }

        switch (format)
        {
            case "cades":
                var cms = OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", document, "-CAfile", authority.SignCaPem, "-purpose", "any", "-out", Path.Combine(folder, "out.bin"));
                Assert.True(cms.ExitCode == 0, cms.Stdout + cms.Stderr);
                break;
            case "xades":
                var xmlsec = await ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--verify", "--trusted-pem", authority.SignCaPem, "--id-attr:Id", SignHelperFormatsTests.SignedPropertiesId, signature], workingDirectory: folder);
                Assert.True(xmlsec.Exit == 0, xmlsec.Error);
                break;
            default:
                var pdfsig = System.Text.Encoding.UTF8.GetString((await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nocert", signature])).Output);
                Assert.Contains("Signature Validation: Signature is Valid.", pdfsig, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public async Task Sign_BtWithTsaUnreachable_502WithProblem()
    {
        var options = new SignHelperOptions(0, [RunningHelper.City]) { Tsa = new Uri("http://127.0.0.1:9/tsa") };
        await using var helper = await RunningHelper.StartAsync(authority.NewCard(), "ABC123\n", TimeProvider.System, options);

        using var response = await helper.SignAsync(SignHelperFormatsTests.Json, "format=cades&level=B-T");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("tsa-refused", json.RootElement.GetProperty("code").GetString());
    }
}
