using BenchmarkDotNet.Running;
using Jpki.Benchmarks.Authority;

// BenchmarkDotNet: dotnet run -c Release --project bench/Jpki.Benchmarks -- --filter '*'
// Console modes (own process, for peak memory and servers): crl-build, issue-rate, ocsp-serve, ocsp-load (docs/benchmarks-authority.md).
// verify-rate [--seconds 5] [--threads N]: CMS verifications/s on N threads (docs/benchmarks-verification.md).
// rsa-rate [--seconds 5] [--threads N]: raw RSA-2048 signatures/s and CPU µs per signature through .NET (docs/benchmarks.md).
// signed-document-rate --in F [--sig F] --trust CA [--crl CRL] [--tsa-trust ROOT]: PAdES/XAdES/CAdES validations/s as jpki verify runs them (bench/scripts/signed-documents.sh, issue 15).
// oidc-token-rate [--codes N] [--concurrency C]: ID tokens/s from jpki serve's /oidc/token (docs/benchmarks.md, issue 16).
// counter-issue-load COUNT CONCURRENCY: counter API issuances/s over HTTP (docs/benchmarks-counter-web.md).
// For `jpki serve` as shipped (mixed, checked requests, percentiles) use bench/Jpki.Load (`jpki-load`, docs/load.md).
return args.Length > 0 && AuthorityModes.Names.Contains(args[0])
    ? await AuthorityModes.RunAsync(args).ConfigureAwait(false)
    : args.Length > 0 && args[0] == Jpki.Benchmarks.VerificationRate.Name ? Jpki.Benchmarks.VerificationRate.Run(args)
    : args.Length > 0 && args[0] == Jpki.Benchmarks.RsaRate.Name ? Jpki.Benchmarks.RsaRate.Run(args)
    : args.Length > 0 && args[0] == Jpki.Benchmarks.SignedDocumentRate.Name ? await Jpki.Benchmarks.SignedDocumentRate.RunAsync(args).ConfigureAwait(false)
    : args.Length > 0 && args[0] == Jpki.Benchmarks.OidcTokenRate.Name ? await Jpki.Benchmarks.OidcTokenRate.RunAsync(args).ConfigureAwait(false)
    : args.Length > 0 && args[0] == Jpki.Benchmarks.Counter.CounterWebLoad.Name ? await Jpki.Benchmarks.Counter.CounterWebLoad.RunAsync(args).ConfigureAwait(false)
    : Run(args);

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
