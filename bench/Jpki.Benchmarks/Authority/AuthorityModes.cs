using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Profiles;
using Jpki.Core.Identity;
using Jpki.Server;
using Microsoft.Extensions.Hosting;

namespace Jpki.Benchmarks.Authority;

/// <summary>Console benchmark modes that need their own process: peak memory of a CRL build, an OCSP server and its load.</summary>
public static class AuthorityModes
{
    public static readonly string[] Names = ["crl-build", "issue-rate", "ocsp-serve", "ocsp-load"];

    public static Task<int> RunAsync(string[] args) => args[0] switch
    {
        "crl-build" => CrlBuildAsync(Long(args, "--entries", 1_000_000)),
        "issue-rate" => IssueRate.RunAsync((int)Long(args, "--seconds", 10), (int)Long(args, "--threads", Environment.ProcessorCount), Text(args, "--store") ?? "memory", Text(args, "--connection"), Text(args, "--dir"), Text(args, "--existing")),
        "ocsp-serve" => OcspServeAsync((int)Long(args, "--port", 9080), (int)Long(args, "--certs", 1000), Text(args, "--dir") ?? Path.GetTempPath()),
        _ => OcspLoadAsync(Text(args, "--url")!, Text(args, "--request")!, (int)Long(args, "--seconds", 20), (int)Long(args, "--connections", 32)),
    };

    private static async Task<int> CrlBuildAsync(long entries)
    {
        var clock = TimeProvider.System;
        var registry = new BenchRegistry(entries);
        var authority = BenchAuthority.Create(registry, clock);
        var path = Path.Combine(Path.GetTempPath(), $"jpki-bench-{Environment.ProcessId}.crl");
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var watch = Stopwatch.StartNew();
        CrlDocument document;
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            document = await CrlPublisher.BuildAsync(authority, new NullAuditLog(), CertificateKind.Signature, file, "bench", CancellationToken.None).ConfigureAwait(false);
        }

        watch.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crl-build entries={document.EntryCount} bytes={document.Length} seconds={watch.Elapsed.TotalSeconds:F2} peakWorkingSetMiB={process.PeakWorkingSet64 / 1048576.0:F1} (before build {before / 1048576.0:F1}) gcHeapPeakMiB={GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F1}"));
        var check = Process.Start(new ProcessStartInfo("openssl", $"crl -inform DER -in {path} -noout -lastupdate") { RedirectStandardOutput = true });
        if (check is not null)
        {
            Console.WriteLine("openssl: " + (await check.StandardOutput.ReadToEndAsync().ConfigureAwait(false)).Trim());
            await check.WaitForExitAsync().ConfigureAwait(false);
        }

        File.Delete(path);
        return 0;
    }

    private static async Task<int> OcspServeAsync(int port, int certs, string dir)
    {
        Directory.CreateDirectory(dir);
        var clock = TimeProvider.System;
        var registry = new BenchRegistry();
        var authority = BenchAuthority.Create(registry, clock, new AuthorityOptions { OpenSignatureRevocationData = true });
        var key = BenchAuthority.PublicKeys(1)[0];
        var index = new System.Text.StringBuilder();
        string? first = null;
        for (var i = 0; i < certs; i++)
        {
            var record = await authority.IssueAsync(new IssueRequest(CertificateKind.Authentication, key, "C" + i, "H" + i, new DateOnly(2031, 2, 17), null, null, "bench"), CancellationToken.None).ConfigureAwait(false);
            first ??= record.SerialHex;
            index.Append(CultureInfo.InvariantCulture, $"V\t{record.NotAfter.UtcDateTime:yyMMddHHmmss}Z\t\t{record.SerialHex}\tunknown\t/C=JP/CN=x{i}\n");
        }

        // The same CA for openssl ocsp: index.txt and a delegated signer of its own issued by the same CA key.
        var ca = authority.AuthCa;
        await File.WriteAllTextAsync(Path.Combine(dir, "index.txt"), index.ToString()).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "ca.pem"), new string(PemEncoding.Write("CERTIFICATE", ca.CertificateDer))).ConfigureAwait(false);
        using var signerKey = RSA.Create(2048);
        var signer = EndEntityProfile.BuildOcspSigner(ca, new PublicKey(signerKey), RandomIdentifierSource.Instance.NextSerial(), clock.GetUtcNow().AddMinutes(-5), clock.GetUtcNow().AddDays(7));
        await File.WriteAllTextAsync(Path.Combine(dir, "signer.pem"), new string(PemEncoding.Write("CERTIFICATE", signer))).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "signer.key"), signerKey.ExportPkcs8PrivateKeyPem()).ConfigureAwait(false);

        // A no-nonce request for the first certificate (what a caching relying party sends).
        var reqProcess = Process.Start(new ProcessStartInfo("openssl", $"ocsp -issuer {Path.Combine(dir, "ca.pem")} -serial 0x{first} -no_nonce -reqout {Path.Combine(dir, "request.der")}") { RedirectStandardOutput = true });
        await reqProcess!.WaitForExitAsync().ConfigureAwait(false);

        await using var runtime = new AuthorityRuntime(authority, new NullAuditLog(), Path.Combine(dir, "crl"));
        await using var app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = Path.Combine(dir, "data"), Urls = $"http://127.0.0.1:{port}", Authority = false }, clock, runtime);
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine($"ocsp-serve listening on http://127.0.0.1:{port}/ocsp with {certs} certificates; files in {dir}");
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> OcspLoadAsync(string url, string requestFile, int seconds, int connections)
    {
        var request = await File.ReadAllBytesAsync(requestFile).ConfigureAwait(false);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler);
        long ok = 0;
        long failed = 0;
        async Task Worker(DateTimeOffset end)
        {
            while (TimeProvider.System.GetUtcNow() < end)
            {
                using var content = new ByteArrayContent(request);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
                try
                {
                    using var response = await http.PostAsync(new Uri(url), content).ConfigureAwait(false);
                    var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);

                    // Successful OCSPResponse: SEQUENCE, then ENUMERATED 0 after a 2–4 octet header.
                    if (response.IsSuccessStatusCode && body.Length > 10 && body.AsSpan(0, 8).IndexOf(new byte[] { 0x0A, 0x01, 0x00 }) >= 0)
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        await Worker(TimeProvider.System.GetUtcNow().AddSeconds(2)).ConfigureAwait(false); // warm-up, one connection
        Interlocked.Exchange(ref ok, 0);
        Interlocked.Exchange(ref failed, 0);
        var watch = Stopwatch.StartNew();
        var end = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(() => Worker(end)))).ConfigureAwait(false);
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ocsp-load url={url} connections={connections} responses={ok} failed={failed} seconds={watch.Elapsed.TotalSeconds:F1} perSecond={ok / watch.Elapsed.TotalSeconds:F0}"));
        return 0;
    }

    private static long Long(string[] args, string name, long fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
