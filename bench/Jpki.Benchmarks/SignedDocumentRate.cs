using System.Diagnostics;
using System.Globalization;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Signatures;
using Jpki.Verification.Trust;

namespace Jpki.Benchmarks;

/// <summary>
/// Console mode <c>signed-document-rate</c>: validations per second of one signed document (PAdES, XAdES or CAdES) by
/// the code <c>jpki verify</c> runs — the same <see cref="JpkiVerifier"/> (trust roots, CRL files) and
/// <see cref="SignatureValidator.ValidateAsync"/> over <see cref="DocumentSource.FromFile"/>, the file read from disk
/// every time — without the process start, for N threads over a fixed time. Every report must be TOTAL-PASSED.
/// <code>
/// signed-document-rate --in F [--sig F] --trust CA [--crl CRL]... [--tsa-trust ROOT] [--allow-test-policy] [--seconds 5] [--threads 1]
/// </code>
/// bench/scripts/signed-documents.sh runs it beside pdfsig and xmlsec1 (docs/benchmarks.md, issue 15).
/// </summary>
public static class SignedDocumentRate
{
    public const string Name = "signed-document-rate";

    public static async Task<int> RunAsync(string[] args)
    {
        var input = Value(args, "--in") ?? throw new ArgumentException("signed-document-rate: give --in FILE.");
        var sig = Value(args, "--sig");
        var seconds = double.Parse(Value(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var threads = int.Parse(Value(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        var trust = new TrustStoreBuilder();
        foreach (var root in Values(args, "--trust"))
        {
            trust.AddRootsFromFile(root);
        }

        var crls = new CrlRevocationSource();
        foreach (var crl in Values(args, "--crl"))
        {
            crls.Add(await File.ReadAllBytesAsync(crl).ConfigureAwait(false));
        }

        var tsaRoots = Values(args, "--tsa-trust").Select(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile).ToList();
        var verifier = new JpkiVerifier(trust.Build(), [crls], TimeProvider.System, new VerifierOptions { Path = new() { AllowTestPolicy = args.Contains("--allow-test-policy") } });
        var validator = new SignatureValidator(verifier, new SignatureValidationOptions { TimestampTrust = tsaRoots });
        SignedDocument Document() => sig is null
            ? new SignedDocument(DocumentSource.FromFile(input))
            : new SignedDocument(DocumentSource.FromFile(input), DocumentSource.FromFile(sig));

        // The first validation, timed alone (cold: JIT, first reads), then a warm-up second.
        var cold = Stopwatch.StartNew();
        var first = await validator.ValidateAsync(Document()).ConfigureAwait(false);
        cold.Stop();
        if (!first.IsValid)
        {
            Console.Error.WriteLine($"signed-document-rate: {input} is not TOTAL-PASSED: {first.Indication} {first.Message} {string.Join("; ", first.Signatures.Select(s => $"{s.Id}: {s.Indication} {s.SubIndication}"))}");
            return 1;
        }

        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            _ = await validator.ValidateAsync(Document()).ConfigureAwait(false);
        }

        var counts = new long[threads];
        var failures = 0L;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            long n = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                if (!(await validator.ValidateAsync(Document()).ConfigureAwait(false)).IsValid)
                {
                    Interlocked.Increment(ref failures);
                }

                n++;
            }

            counts[t] = n;
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var total = counts.Sum();
        var rate = total / watch.Elapsed.TotalSeconds;
        var signatures = first.Signatures.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"signed-document-rate: {first.Format}, {signatures} signature(s) at {first.Signatures[0].Level}, {threads} thread(s), {watch.Elapsed.TotalSeconds:F1} s: {total:N0} validations, {rate:N1}/s, " +
            $"{watch.Elapsed.TotalMilliseconds * threads / total:F2} ms wall per document ({watch.Elapsed.TotalMilliseconds * threads / total / signatures:F2} ms per signature), " +
            $"{cpu.TotalMilliseconds / total:F2} ms CPU per document, first (cold) {cold.Elapsed.TotalMilliseconds:F0} ms, {failures} not valid"));
        return failures == 0 ? 0 : 1;
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static IEnumerable<string> Values(string[] args, string name)
    {
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name)
            {
                yield return args[i + 1];
            }
        }
    }
}
