using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Server.Tests.Crash;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Jpki.Testing;
using Xunit.Abstractions;

namespace Jpki.Server.Tests.Operations;

/// <summary>
/// The operator's view (docs/operations.md): a real <c>jpki serve</c> process with <c>--metrics</c>, scraped by a real
/// Prometheus server (Debian's <c>prometheus</c>), whose query API must see what the server did — issuances, a revocation
/// by reason, OCSP answers by status and cache, CRL builds; <c>promtool check metrics</c> finds nothing wrong with our
/// metric names; and the metrics are never on the public address.
/// </summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Prometheus_ScrapesWhatTheServerDid_AndThePublicAddressHasNoMetrics()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var folder = Path.Combine(Path.GetTempPath(), "jpki-metrics-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var metricsPort = JpkiServerProcess.FreePort();
        using var server = new JpkiServerProcess(Path.Combine(folder, "data"), JpkiServerProcess.FreePort(), new Dictionary<string, string>(),
            ["--metrics", $"http://127.0.0.1:{metricsPort}/"]);
        try
        {
            await server.StartAsync(timeout.Token);
            var raKey = (await File.ReadAllTextAsync(RegistrationAuthorityKeyFile.PathOf(Path.Combine(folder, "data")))).Trim();
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add(RegistrationAuthorityAccess.HeaderName, raKey);

            // What an operator wants to see: two issuances, one revocation, OCSP answers (signed, from cache, malformed).
            var serials = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                serials.Add(await IssueAsync(http, i, timeout.Token));
            }

            using (var revoke = await http.PostAsJsonAsync(new Uri($"/api/authority/certificates/{serials[0]}/revocation", UriKind.Relative), new { reason = "key-compromise" }, timeout.Token))
            {
                Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync(timeout.Token));
            }

            var issuer = Path.Combine(folder, "auth-ca.cer");
            await File.WriteAllBytesAsync(issuer, await http.GetByteArrayAsync(new Uri("/ca/auth.cer", UriKind.Relative), timeout.Token), timeout.Token);
            for (var i = 0; i < 3; i++)
            {
                var (exit, stdout, stderr) = OpenSsl.Run("ocsp", "-issuer", issuer, "-serial", "0x" + serials[1], "-url", new Uri(server.BaseAddress, "/ocsp").ToString(), "-no_nonce", "-noverify");
                Assert.True(exit == 0 && stdout.Contains(": good", StringComparison.Ordinal), stdout + stderr);
            }

            using (var malformed = await http.PostAsync(new Uri("/ocsp", UriKind.Relative), new ByteArrayContent([0x30, 0x03, 0x02, 0x01, 0x00]) { Headers = { { "Content-Type", "application/ocsp-request" } } }, timeout.Token))
            {
                Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
            }

            // An error answer of the API: counted by its problem code.
            using (var badKey = await http.PostAsJsonAsync(new Uri("/api/authority/certificates", UriKind.Relative), new Dictionary<string, object?>
            {
                ["kind"] = "auth",
                ["subjectPublicKeyInfo"] = Convert.ToBase64String([0x30, 0x03, 0x02, 0x01, 0x00]),
                ["cardId"] = "METRICS-BAD",
                ["holderId"] = "H-METRICS-BAD",
                ["expiryDate"] = TimeProvider.System.GetUtcNow().AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }, timeout.Token))
            {
                Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
            }

            // The metrics are on their own listener only.
            using (var onPublic = await http.GetAsync(new Uri("/metrics", UriKind.Relative), timeout.Token))
            {
                Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
            }

            using var scrape = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var text = await scrape.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), timeout.Token);
            Assert.DoesNotContain(serials[1], text, StringComparison.OrdinalIgnoreCase);
            var lint = await ExternalTool.RunAsync("promtool", "prometheus", ["check", "metrics"], Encoding.UTF8.GetBytes(text));
            var lintText = Encoding.UTF8.GetString(lint.Output) + lint.Error;
            output.WriteLine("promtool check metrics: " + (lintText.Length == 0 ? "(nothing)" : lintText));
            Assert.DoesNotContain("error", lintText, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(lintText.Split('\n'), line => line.StartsWith("jpki", StringComparison.Ordinal));

            // The judge: a real Prometheus scrapes the listener and answers queries on what it stored.
            using var prometheus = await PrometheusServer.StartAsync(folder, metricsPort, timeout.Token);
            Assert.Equal(2, await prometheus.ValueAsync("sum(jpki_certificates_issued_total{kind=\"auth\"})", v => v >= 2, timeout.Token));
            Assert.Equal(1, await prometheus.ValueAsync("sum(jpki_certificates_revoked_total{kind=\"auth\",reason=\"key-compromise\"})", v => v >= 1, timeout.Token));
            Assert.True(await prometheus.ValueAsync("sum(jpki_ocsp_responses_total{status=\"successful\",cert_status=\"good\",cache=\"hit\"})", v => v >= 1, timeout.Token) >= 1);
            Assert.True(await prometheus.ValueAsync("sum(jpki_ocsp_responses_total{status=\"malformed\",cache=\"miss\"})", v => v >= 1, timeout.Token) >= 1);
            Assert.True(await prometheus.ValueAsync("sum(jpki_crl_build_duration_seconds_count{ca=\"auth\"})", v => v >= 1, timeout.Token) >= 1);
            Assert.Equal(1, await prometheus.ValueAsync("sum(jpki_http_problems_total{code=\"bad-public-key\",status=\"400\"})", v => v >= 1, timeout.Token));
            Assert.Equal(1, await prometheus.ValueAsync("up", v => v >= 1, timeout.Token));
        }
        finally
        {
            output.WriteLine(server.LogTail);
            server.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("https://127.0.0.1:9464/")]
    [InlineData("http://metrics.example.jp:9464/")]
    [InlineData("http://127.0.0.1:9464/prometheus")]
    public void AMetricsAddressThatIsNoListenerOfItsOwn_IsRefusedAtStart(string url)
    {
        using var folder = new Jpki.Authority.Tests.Support.TempDir();
        var options = new JpkiServerOptions { DataDirectory = folder.File("data"), Urls = "http://127.0.0.1:0", MetricsUrl = new Uri(url) };
        var e = Assert.Throws<ArgumentException>(() => JpkiServerHost.Build(options, TimeProvider.System));
        Assert.Contains(url, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_TheCollectorReceivesTheIssuanceSpanAndTheMetrics()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var folder = new Jpki.Authority.Tests.Support.TempDir();

        // A collector stand-in: records what arrives at the OTLP/HTTP paths (protobuf bodies, whose strings are plain UTF-8).
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Path, byte[] Body)>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = collectorBuilder.Build();
        collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await collector.StartAsync(timeout.Token);

        var options = new JpkiServerOptions { DataDirectory = folder.File("data"), Urls = "http://127.0.0.1:0", OtlpEndpoint = new Uri(collector.Urls.First()) };
        await using (var app = JpkiServerHost.Build(options, TimeProvider.System))
        {
            await app.StartAsync(timeout.Token);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Add(RegistrationAuthorityAccess.HeaderName, (await File.ReadAllTextAsync(RegistrationAuthorityKeyFile.PathOf(options.DataDirectory), timeout.Token)).Trim());
            var serial = await IssueAsync(http, 0, timeout.Token);

            // Spans leave in batches every few seconds; stopping the server flushes the rest (metrics included).
            await app.StopAsync(timeout.Token);
            Assert.DoesNotContain(received, r => Encoding.UTF8.GetString(r.Body).Contains(serial, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Contains(received, r => r.Path == "/v1/traces" && Encoding.UTF8.GetString(r.Body).Contains("jpki.certificate.issue", StringComparison.Ordinal));
        Assert.Contains(received, r => r.Path == "/v1/metrics" && Encoding.UTF8.GetString(r.Body).Contains("jpki.certificates.issued", StringComparison.Ordinal));
    }

    private static async Task<string> IssueAsync(HttpClient http, int n, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(2048);
        var body = new Dictionary<string, object?>
        {
            ["kind"] = "auth",
            ["subjectPublicKeyInfo"] = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()),
            ["cardId"] = string.Create(CultureInfo.InvariantCulture, $"METRICS-{n}"),
            ["holderId"] = string.Create(CultureInfo.InvariantCulture, $"H-METRICS-{n}"),
            ["expiryDate"] = TimeProvider.System.GetUtcNow().AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        using var response = await http.PostAsJsonAsync(new Uri("/api/authority/certificates", UriKind.Relative), body, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(cancellationToken));
        var view = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return view.GetProperty("serial").GetString()!;
    }

    /// <summary>Debian's Prometheus server on a free port, scraping one target every second, with its data in a temporary folder.</summary>
    private sealed class PrometheusServer : IDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _http;
        private readonly StringBuilder _log = new();

        private PrometheusServer(Process process, int port)
        {
            _process = process;
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        }

        public static async Task<PrometheusServer> StartAsync(string folder, int targetPort, CancellationToken cancellationToken)
        {
            var config = Path.Combine(folder, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: jpki
                    static_configs:
                      - targets: ['127.0.0.1:{targetPort}']
                """, cancellationToken);
            var port = JpkiServerProcess.FreePort();
            var start = new ProcessStartInfo("prometheus")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(folder, "tsdb"), $"--web.listen-address=127.0.0.1:{port}" })
            {
                start.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                Assert.Fail($"prometheus is needed: apt-get install prometheus ({e.Message})");
                throw;
            }

            var server = new PrometheusServer(process, port);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return server;
        }

        /// <summary>Polls an instant query until it returns one sample whose value satisfies <paramref name="done"/>; returns it.</summary>
        public async Task<double> ValueAsync(string query, Func<double, bool> done, CancellationToken cancellationToken)
        {
            var deadline = Stopwatch.StartNew();
            string last = "(no answer)";
            while (deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"prometheus exited with {_process.ExitCode}:\n{Log}");
                }

                try
                {
                    using var response = await _http.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative), cancellationToken);
                    last = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        using var json = JsonDocument.Parse(last);
                        var result = json.RootElement.GetProperty("data").GetProperty("result");
                        if (result.GetArrayLength() == 1)
                        {
                            var value = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                            if (done(value))
                            {
                                return value;
                            }
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                // Polling: Prometheus scrapes once a second and gives no other signal.
                await Task.Delay(250, cancellationToken);
            }

            Assert.Fail($"Prometheus never answered `{query}` as expected; last answer: {last}\n{Log}");
            return double.NaN;
        }

        private string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.Length <= 3000 ? _log.ToString() : _log.ToString()[^3000..];
                }
            }
        }

        public void Dispose()
        {
            try
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
            _http.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        }
    }
}
