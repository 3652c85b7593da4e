using System.CommandLine;
using System.Globalization;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Cli.Commands.Verify;

/// <summary>The options shared by <c>jpki verify</c> and <c>jpki login verify</c>: trust, revocation, time.</summary>
internal sealed class VerifierSetup
{
    public Option<FileInfo[]> Trust { get; } = new("--trust")
    {
        Description = "A trusted root CA certificate (PEM or DER); repeat for several. A root with the J-LIS name (O=JPKI) is accepted only when its SHA-256 fingerprint is pinned: the published J-LIS roots (authca01/03, signca01/02/03) are pinned built in, others need --trust-pin.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> TrustPin { get; } = new("--trust-pin")
    {
        Description = "Pin the SHA-256 fingerprint (64 hex digits, colons allowed) of a root given with --trust, e.g. your own authority initialised with J-LIS names, or authca02 after checking it at jpki.go.jp; repeat for several. The verdict says whether the root it ends in was pinned.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<Uri> Ocsp { get; } = HttpUriOption.Create("--ocsp", "Ask this OCSP responder (an http:// or https:// URL, with a nonce) for the revocation status. An answer without the nonce (pre-signed) is accepted when at most 24 h old with a nextUpdate not past; a wrong nonce is refused.");

    public Option<bool> OcspRequireNonce { get; } = new("--ocsp-require-nonce") { Description = "Strict: refuse OCSP answers that do not echo the request nonce (pre-signed answers)." };

    /// <summary>Kept so existing scripts still parse: accepting fresh nonce-less answers is now the default.</summary>
    public Option<bool> OcspNoNonce { get; } = new("--ocsp-allow-no-nonce") { Description = "No effect (the default now accepts recent answers without a nonce).", Hidden = true };

    public Option<FileInfo[]> Crl { get; } = new("--crl") { Description = "A CRL file (DER or PEM) of the issuing CA: complete, partitioned or delta; repeat for several. Order does not matter: the newest CRL of each scope (highest CRL number) is used, deltas are applied to their base." };

    public Option<bool> NoRevocation { get; } = new("--no-revocation-check") { Description = "UNSAFE: accept the certificate when no revocation data is available. Without it, no OCSP/CRL answer means invalid (fail closed)." };

    public Option<string> At { get; } = new("--at") { Description = "Verify as of this instant (ISO 8601, e.g. 2026-11-25T12:00:00+09:00); default now." };

    public Option<bool> AllowTestPolicy { get; } = new("--allow-test-policy") { Description = "Accept the J-LIS test-environment certificate policies." };

    public void AddTo(Command command)
    {
        command.Options.Add(Trust);
        command.Options.Add(TrustPin);
        command.Options.Add(Ocsp);
        command.Options.Add(OcspRequireNonce);
        command.Options.Add(OcspNoNonce);
        command.Options.Add(Crl);
        command.Options.Add(NoRevocation);
        command.Options.Add(At);
        command.Options.Add(AllowTestPolicy);
    }

    /// <summary>Builds the verifier, or returns the bad-input sentence. The caller disposes the HttpClient.</summary>
    public (JpkiVerifier? Verifier, DateTimeOffset At, HttpClient? Http, string? Error) Build(ParseResult parse, CliContext context)
    {
        var now = context.Clock.GetUtcNow();
        var at = now;
        if (parse.GetValue(At) is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
            {
                return (null, now, null, $"--at: '{text}' is not an ISO 8601 date and time.");
            }
        }

        var roots = parse.GetValue(Trust) ?? [];
        if (roots.Length == 0)
        {
            return (null, at, null, "Give at least one trusted root with --trust CA.pem.");
        }

        var trust = new TrustStoreBuilder();
        var sources = new List<IRevocationSource>();
        HttpClient? http = null;
        try
        {
            foreach (var pin in parse.GetValue(TrustPin) ?? [])
            {
                trust.PinJlisFingerprint(pin);
            }

            foreach (var root in roots)
            {
                trust.AddRootsFromFile(root.FullName);
            }

            if (parse.GetValue(Ocsp) is { } ocsp)
            {
                http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
                sources.Add(new OcspRevocationSource(http, context.Clock, new OcspOptions { ResponderUri = ocsp, RequireNonce = parse.GetValue(OcspRequireNonce) }));
            }

            var crls = parse.GetValue(Crl) ?? [];
            if (crls.Length > 0)
            {
                var source = new CrlRevocationSource();
                foreach (var crl in crls)
                {
                    source.Add(File.ReadAllBytes(crl.FullName));
                }

                sources.Add(source);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TrustStoreException or RevocationDataException or ArgumentException)
        {
            http?.Dispose();
            return (null, at, null, e.Message);
        }

        var options = new VerifierOptions
        {
            UnsafeSkipRevocationCheck = parse.GetValue(NoRevocation),
            Path = new() { AllowTestPolicy = parse.GetValue(AllowTestPolicy) },
        };
        if (options.UnsafeSkipRevocationCheck)
        {
            context.Stderr.WriteLine("warning: --no-revocation-check: a revoked certificate is accepted when no revocation data says otherwise.");
        }

        return (new JpkiVerifier(trust.Build(), sources, context.Clock, options), at, http, null);
    }
}
