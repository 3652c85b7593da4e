using System.Text.Json;

namespace Jpki.Cli.Tests.Sign;

/// <summary>
/// <c>jpki sign --format xades --augment --level B-T|B-LT</c> against a served authority (real <c>/tsa</c> and
/// <c>/ocsp</c>): our verifier's report names the level reached and passes it, and xmlsec1 still accepts the XMLDSig
/// core after each augmentation (unsigned properties only were added); a changed document is refused by both.
/// </summary>
[Collection(ServedAuthorityCollection.Name)]
public sealed class XadesAugmentCommandTests(ServedAuthority authority)
{
    private const string SignedPropertiesId = "http://uri.etsi.org/01903/v1.3.2#:SignedProperties";

    [Theory]
    [InlineData("enveloped")]
    [InlineData("detached")]
    public async Task Augment_XadesToBtThenBlt_ReportSaysLevelAndPasses_Xmlsec1StillAccepts_TamperedRefused(string placement)
    {
        var folder = Directory.CreateDirectory(authority.File("augment-" + placement)).FullName;
        var detached = placement == "detached";
        var document = Path.Combine(folder, detached ? "request.json" : "request.xml");
        await File.WriteAllTextAsync(document, detached
            ? "{\"kind\":\"juminhyo\",\"purpose\":\"就職先への提出\"}"
            : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請 xmlns=\"urn:openjpki:test\"><手続>住民票の写しの交付請求</手続></申請>\n");
        var password = Path.Combine(folder, "password.txt");
        await File.WriteAllTextAsync(password, "ABC123\n");
        var bb = Path.Combine(folder, "b-b.xml");
        var bt = Path.Combine(folder, "b-t.xml");
        var blt = Path.Combine(folder, "b-lt.xml");

        var signed = await CliRunner.RunAsync("sign", "--format", "xades", "--placement", placement, "--card", authority.NewCard(), "--in", document, "--out", bb, "--password-file", password, "--json");
        Assert.True(signed.ExitCode == 0, signed.Stdout + signed.Stderr);
        string[] content = detached ? ["--content", document] : [];
        var toBt = await CliRunner.RunAsync(["sign", "--format", "xades", "--augment", "--level", "B-T", "--tsa", authority.Tsa.AbsoluteUri, "--in", bb, "--out", bt, .. content, "--json"]);
        Assert.True(toBt.ExitCode == 0, toBt.Stdout + toBt.Stderr);
        var toBlt = await CliRunner.RunAsync(["sign", "--format", "xades", "--augment", "--level", "B-LT", "--tsa", authority.Tsa.AbsoluteUri, "--chain", authority.TsaRoot, "--in", bt, "--out", blt, .. content, "--json"]);
        Assert.True(toBlt.ExitCode == 0, toBlt.Stdout + toBlt.Stderr);
        using (var json = JsonDocument.Parse(toBlt.Stdout))
        {
            Assert.Equal("B-LT", json.RootElement.GetProperty("level").GetString());
        }

        Assert.Contains("SignatureTimeStamp", await File.ReadAllTextAsync(bt), StringComparison.Ordinal);
        Assert.Contains("RevocationValues", await File.ReadAllTextAsync(blt), StringComparison.Ordinal);
        foreach (var (file, level) in new[] { (bt, "B-T"), (blt, "B-LT") })
        {
            var report = await ReportAsync(folder, detached ? ["--in", document, "--sig", file] : ["--in", file]);
            Assert.Equal("TOTAL-PASSED", report.GetProperty("indication").GetString());
            Assert.Equal(level, report.GetProperty("level").GetString());
            var xmlsec = await Xmlsec1Async(folder, file);
            Assert.True(xmlsec.Exit == 0, $"{level}: {xmlsec.Error}");
        }

        // The signed document changed after augmentation: ours HASH_FAILURE, xmlsec1 refuses.
        var text = await File.ReadAllTextAsync(detached ? document : blt);
        var changed = detached ? text.Replace("就職先", "転職先", StringComparison.Ordinal) : text.Replace("住民票", "戸籍謄本", StringComparison.Ordinal);
        Assert.NotEqual(text, changed);
        await File.WriteAllTextAsync(detached ? document : blt, changed);
        var refused = await ReportAsync(folder, detached ? ["--in", document, "--sig", blt] : ["--in", blt]);
        Assert.True(refused.TryGetProperty("subIndication", out var sub) && sub.GetString() == "HASH_FAILURE", refused.ToString());
        Assert.NotEqual(0, (await Xmlsec1Async(folder, blt)).Exit);
    }

    [Fact]
    public async Task Augment_XadesBt_TsaUnreachable_RefusedAndNothingWritten()
    {
        var folder = Directory.CreateDirectory(authority.File("augment-unreachable")).FullName;
        var document = Path.Combine(folder, "request.xml");
        await File.WriteAllTextAsync(document, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請><手続>住民票の写しの交付請求</手続></申請>\n");
        var password = Path.Combine(folder, "password.txt");
        await File.WriteAllTextAsync(password, "ABC123\n");
        var bb = Path.Combine(folder, "b-b.xml");
        Assert.Equal(0, (await CliRunner.RunAsync("sign", "--format", "xades", "--card", authority.NewCard(), "--in", document, "--out", bb, "--password-file", password)).ExitCode);

        var (code, stdout, _) = await CliRunner.RunAsync("sign", "--format", "xades", "--augment", "--level", "B-T", "--tsa", "http://127.0.0.1:9/tsa", "--in", bb, "--out", bb + ".bt", "--json");

        Assert.NotEqual(0, code);
        Assert.Contains("tsa-refused", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(bb + ".bt"));
    }

    private async Task<JsonElement> ReportAsync(string folder, string[] what)
    {
        var report = Path.Combine(folder, "report.json");
        File.Delete(report);
        var verified = await CliRunner.RunAsync(["verify", .. what, "--trust", authority.SignCa, "--tsa-trust", authority.TsaRoot, "--ocsp", new Uri(authority.Base, "/ocsp").AbsoluteUri, "--allow-test-policy", "--report", report, "--json"]);
        Assert.True(File.Exists(report), verified.Stdout + verified.Stderr);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var signatures = json.RootElement.GetProperty("signatures");
        Assert.Equal(1, signatures.GetArrayLength());
        return signatures[0].Clone();
    }

    private Task<(int Exit, byte[] Output, string Error)> Xmlsec1Async(string folder, string file)
        => ExternalTool.RunAsync("xmlsec1", "xmlsec1", ["--verify", "--trusted-pem", authority.SignCaPem, "--id-attr:Id", SignedPropertiesId, file], workingDirectory: folder);
}
