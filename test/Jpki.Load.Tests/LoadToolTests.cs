using System.Text.Json;

namespace Jpki.Load.Tests;

/// <summary>The tool against an in-process server for a second or two per scenario: every answer checked, no errors.</summary>
public sealed class LoadToolTests(LoadServer server) : IClassFixture<LoadServer>
{
    // A loaded 2-core CI machine can take seconds for one on-card issuance: a request timeout is an error the tool
    // counts, so the tests give requests far more than the default 10 s.
    private const string Timeout = "120s";

    public static TheoryData<string, string[]> Scenarios => new()
    {
        { "ocsp", ["--concurrency", "4"] },
        { "ocsp", ["--concurrency", "2", "--nonce-percent", "50", "--get-percent", "100", "--kinds", "sign"] },
        { "crl", ["--concurrency", "2"] },
        { "verify", ["--concurrency", "2"] },
        { "verify", ["--concurrency", "2", "--revocation", "crl"] },
        { "counter-issue", ["--concurrency", "1"] },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_AgainstInProcessServer_ZeroErrorsAndPercentiles(string scenario, string[] extra)
    {
        var (exit, report, stderr) = await server.RunAsync([scenario, "--url", server.Url, "--data", server.DataDirectory, "--duration", "1s", "--warmup", "0s", "--timeout", Timeout, "--json", .. extra]);

        Assert.True(exit == 0, stderr + (report?.ToString() ?? string.Empty));
        var r = report!.Value;
        Assert.Equal(0, r.GetProperty("errors").GetInt64());
        Assert.True(r.GetProperty("succeeded").GetInt64() > 0);
        var latency = r.GetProperty("latency");
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("p99").GetDouble() >= latency.GetProperty("p50").GetDouble());
        Assert.True(latency.GetProperty("max").GetDouble() >= latency.GetProperty("p999").GetDouble());
    }

    [Fact]
    public async Task Ocsp_MaxRequests_StopsAtTheCount()
    {
        var (exit, report, stderr) = await server.RunAsync("ocsp", "--url", server.Url, "--data", server.DataDirectory, "--duration", "5m", "--warmup", "0s", "--max-requests", "25", "--concurrency", "3", "--timeout", Timeout, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(25, report!.Value.GetProperty("requests").GetInt64());
        Assert.Equal("max-requests", report.Value.GetProperty("stoppedBy").GetString());
    }

    [Fact]
    public async Task Ocsp_WrongExpectation_CountedAsWrongAnswerAndExit1()
    {
        // Everything asked as "revoked" that is good fails the check: the tool must notice, not count it as a success.
        var copy = Path.Combine(Path.GetTempPath(), "jpki-load-wrong-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(copy, "load"));
        try
        {
            var manifest = JsonNode(await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "load", "manifest.json")));
            foreach (var c in manifest["certificates"]!.AsArray())
            {
                c!["revoked"] = !c["revoked"]!.GetValue<bool>();
            }

            await File.WriteAllTextAsync(Path.Combine(copy, "load", "manifest.json"), manifest.ToJsonString());
            var (exit, report, _) = await server.RunAsync("ocsp", "--url", server.Url, "--data", copy, "--duration", "1s", "--warmup", "0s", "--max-requests", "20", "--mix", "100:0:0", "--json");

            Assert.Equal(2, exit); // priming already sees wrong answers: bad set-up, nothing measured
            Assert.Null(report);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://10.0.0.1:8080")]
    [InlineData("http://192.0.2.7/")]
    [InlineData("http://[2001:db8::1]:8080/")]
    [InlineData("http://0.0.0.0:8080/")]
    [InlineData("ftp://127.0.0.1/")]
    public async Task Scenario_NonLoopbackTarget_RefusedWithExit2(string url)
    {
        var (exit, report, stderr) = await server.RunAsync("ocsp", "--url", url, "--data", server.DataDirectory, "--duration", "1s");

        Assert.Equal(2, exit);
        Assert.Null(report);
        Assert.Contains("loopback", stderr, StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string text) => System.Text.Json.Nodes.JsonNode.Parse(text)!;
}
