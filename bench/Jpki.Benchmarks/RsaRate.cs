using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Jpki.Benchmarks;

/// <summary>
/// Console mode <c>rsa-rate [--seconds 5] [--threads N]</c>: raw RSA-2048 PKCS#1 v1.5 SHA-256 signatures through .NET
/// (<see cref="RSA.SignData(byte[], HashAlgorithmName, RSASignaturePadding)"/>, OpenSSL underneath) — what an OCSP
/// answer with a nonce must cost at least. Prints signatures/s and the <b>process CPU time per signature</b>: on a
/// machine shared with other work the CPU time is the figure to compare with a server's CPU per request (docs/benchmarks.md,
/// "OCSP on jpki serve"), since wall-clock rates fall with the load average and CPU time per operation much less.
/// </summary>
internal static class RsaRate
{
    public const string Name = "rsa-rate";

    public static int Run(string[] args)
    {
        var seconds = 5.0;
        var threads = Environment.ProcessorCount;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds":
                    seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--threads":
                    threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"rsa-rate: unknown option {args[i]}");
                    return 2;
            }
        }

        using var key = RSA.Create(2048);
        // About the size of a BasicOCSPResponse's tbsResponseData with a nonce.
        var data = RandomNumberGenerator.GetBytes(180);
        key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var count = 0L;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                Interlocked.Increment(ref count);
            }
        });
        var elapsed = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMicroseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rsa-rate: {threads} thread(s), {elapsed:F1} s, {count:N0} RSA-2048 signatures, {count / elapsed:N0}/s, {cpu / count:F1} µs CPU per signature; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        return 0;
    }
}
