using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Jpki.Load.Data;
using Jpki.Load.Running;
using Jpki.Load.Safety;
using Jpki.Load.Scenarios;

namespace Jpki.Load;

/// <summary>The <c>jpki-load</c> command tree: <c>prepare</c> and one command per scenario.</summary>
internal static class LoadCommand
{
    private static readonly string[] Kinds = ["auth", "sign"];

    public static RootCommand Build(LoadContext context)
    {
        var root = new RootCommand(
            "jpki-load — load generator for an OpenJpki server on THIS machine (loopback only): OCSP, CRL downloads, counter issuance, " +
            "relying-party verification. Bounded in time (--duration) and count (--max-requests); every answer is checked.\n" +
            "Exit codes: 0 no errors, 1 errors (or nothing succeeded), 2 bad usage or a non-loopback target.");
        root.Subcommands.Add(Prepare(context));
        root.Subcommands.Add(FillRevoked(context));
        root.Subcommands.Add(FillRegistry(context));
        root.Subcommands.Add(RevokeLatency(context));
        root.Subcommands.Add(Scenario(context, "ocsp", "OCSP over POST and GET for good, revoked and unknown certIDs; answers parsed and verified (BouncyCastle).", Ocsp));
        root.Subcommands.Add(Scenario(context, "crl", "CRL downloads (GET /crl/{kind}.crl), full and conditional; CRLs parsed, verified, checked to list the revoked serials.", Crl));
        root.Subcommands.Add(Scenario(context, "counter-issue", "Counter issuances (clerk sign-in with CSRF, POST /api/counter/issue) to prepared virtual cards; each card once.", CounterIssue));
        root.Subcommands.Add(Scenario(context, "verify", "Relying-party CMS verification with revocation checked against the server's /ocsp (default) or /crl.", Verify));
        return root;
    }

    public static Task<int> InvokeAsync(string[] args, LoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parse = Build(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                context.Stderr.WriteLine($"error: {error.Message}");
            }

            context.Stderr.WriteLine("Run with --help to see the usage.");
            return Task.FromResult(ExitCodes.BadUsage);
        }

        return parse.InvokeAsync(new InvocationConfiguration { Output = context.Stdout, Error = context.Stderr });
    }

    private static Option<DirectoryInfo> DataOption() => new("--data")
    {
        Description = "Data folder prepared by `jpki-load prepare` (its load/manifest.json says what each answer must be). Default: $JPKI_DATA, else ./jpki-data.",
    };

    private static string DataPath(ParseResult parse, Option<DirectoryInfo> data) =>
        parse.GetValue(data)?.FullName ?? Environment.GetEnvironmentVariable("JPKI_DATA") ?? Path.Combine(Environment.CurrentDirectory, "jpki-data");

    private static Command Prepare(LoadContext context)
    {
        var data = DataOption();
        var auth = new Option<int>("--auth-certs") { Description = "Authentication certificates to issue.", DefaultValueFactory = _ => 1000 };
        var sign = new Option<int>("--sign-certs") { Description = "Signature certificates to issue.", DefaultValueFactory = _ => 200 };
        var revokeEvery = new Option<int>("--revoke-every") { Description = "Revoke every n-th certificate of each kind (0: none).", DefaultValueFactory = _ => 10 };
        var cards = new Option<int>("--cards") { Description = "Residents with a virtual card for counter-issue (each card is issued once).", DefaultValueFactory = _ => 300 };
        var signatures = new Option<int>("--signatures") { Description = "CMS signatures for verify (spread over the signature certificates, revoked ones included).", DefaultValueFactory = _ => 100 };
        var baseUrl = new Option<string>("--base-url") { Description = "Public base URL written into the authority (CRL and OCSP addresses in certificates).", DefaultValueFactory = _ => "http://127.0.0.1:8480" };
        var partitionMonths = new Option<int>("--crl-partition-months") { Description = "CRL partition window of the authority in months (0, 1, 2, 3, 4, 6, 12; 0 = no partitions).", DefaultValueFactory = _ => 3 };
        partitionMonths.AcceptOnlyFromAmong("0", "1", "2", "3", "4", "6", "12");
        var noFullCrl = new Option<bool>("--no-full-crl") { Description = "Publish only the partition CRLs (no full CRL)." };
        var command = new Command("prepare", "Prepare an empty data folder for reproducible runs: test authority (open revocation data), issued and revoked certificates, clerk account, residents with virtual cards, CMS signatures, load/manifest.json. Then: jpki serve --data DIR.");
        foreach (var o in new Option[] { data, auth, sign, revokeEvery, cards, signatures, baseUrl, partitionMonths, noFullCrl })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var counts = new[] { parse.GetValue(auth), parse.GetValue(sign), parse.GetValue(revokeEvery), parse.GetValue(cards), parse.GetValue(signatures) };
            if (counts.Any(n => n < 0 || n > 1_000_000) || parse.GetValue(auth) + parse.GetValue(sign) == 0)
            {
                context.Stderr.WriteLine("error: counts must be between 0 and 1,000,000, with at least one certificate.");
                return ExitCodes.BadUsage;
            }

            var settings = new PrepareSettings(counts[0], counts[1], counts[2], counts[3], counts[4], parse.GetValue(baseUrl)!)
            {
                CrlPartitionMonths = parse.GetValue(partitionMonths),
                PublishFullCrl = !parse.GetValue(noFullCrl),
            };
            var refusal = await Preparer.RunAsync(DataPath(parse, data), settings, context.Clock, context.Stderr, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                context.Stderr.WriteLine("error: " + refusal);
                return ExitCodes.BadUsage;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command FillRevoked(LoadContext context)
    {
        var data = DataOption();
        var count = new Option<long>("--count") { Description = "Revoked certificates to add.", DefaultValueFactory = _ => 1_000_000 };
        var kind = new Option<string>("--kind") { Description = "Which CA: auth or sign.", DefaultValueFactory = _ => "auth" };
        kind.AcceptOnlyFromAmong("auth", "sign");
        var command = new Command("fill-revoked", "Add revoked certificates (test rows, no certificate bytes) straight into a prepared SQLite data folder, for CRL benchmarks at scale. The server must not be running.");
        command.Options.Add(data);
        command.Options.Add(count);
        command.Options.Add(kind);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(count) is < 1 or > 100_000_000)
            {
                context.Stderr.WriteLine("error: --count between 1 and 100,000,000.");
                return ExitCodes.BadUsage;
            }

            var refusal = await RevokedFiller.RunAsync(DataPath(parse, data), parse.GetValue(kind) == "sign" ? Jpki.Core.Identity.CertificateKind.Signature : Jpki.Core.Identity.CertificateKind.Authentication, parse.GetValue(count), context.Clock, context.Stderr, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                context.Stderr.WriteLine("error: " + refusal);
                return ExitCodes.BadUsage;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command FillRegistry(LoadContext context)
    {
        var data = DataOption();
        var registry = new Option<string>("--registry") { Description = "The PostgreSQL registry: an Npgsql connection string or a postgres:// URL. Default: $JPKI_REGISTRY." };
        var count = new Option<long>("--count") { Description = "Certificates to add (both CAs, alternating).", DefaultValueFactory = _ => 1_000_000 };
        var revoked = new Option<int>("--revoked-per-mille") { Description = "How many of each thousand are revoked (J-LIS revokes on every move, marriage and renewal).", DefaultValueFactory = _ => 100 };
        var placeholder = new Option<bool>("--placeholder") { Description = "Two octets instead of a certificate's length per row (CRL runs; the disk figures then mean nothing)." };
        var bulk = new Option<bool>("--rebuild-indexes") { Description = "Drop the table's secondary indexes for the load and build them again after it (several times faster for tens of millions of rows; no server may use the registry meanwhile)." };
        var command = new Command("fill-registry", "Fill a PostgreSQL registry with test certificates (random bytes of a real certificate's length, no audit entries) through COPY, for benchmarks at national scale (issue 17: 100,000,000). Prints rows/s and disk per million certificates.");
        foreach (var o in new Option[] { data, registry, count, revoked, placeholder, bulk })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(count) is < 1 or > 1_000_000_000 || parse.GetValue(revoked) is < 0 or > 1000)
            {
                context.Stderr.WriteLine("error: --count between 1 and 1,000,000,000; --revoked-per-mille between 0 and 1000.");
                return ExitCodes.BadUsage;
            }

            var setting = parse.GetValue(registry) ?? Environment.GetEnvironmentVariable(Jpki.Authority.Registry.RegistryFactory.EnvironmentVariable);
            var refusal = await RegistryFiller.RunAsync(DataPath(parse, data), setting, parse.GetValue(count), parse.GetValue(revoked), parse.GetValue(placeholder), parse.GetValue(bulk), context.Clock, context.Stderr, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                context.Stderr.WriteLine("error: " + refusal);
                return ExitCodes.BadUsage;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RevokeLatency(LoadContext context)
    {
        var url = new Option<string>("--url") { Description = "Server base URL; its host must be or resolve to loopback (127.0.0.0/8, ::1).", Required = true };
        var data = DataOption();
        var count = new Option<int>("--count") { Description = "Certificates to revoke, one after the other (good ones of the manifest).", DefaultValueFactory = _ => 10 };
        var kind = new Option<string>("--kind") { Description = "Which CA: auth or sign.", DefaultValueFactory = _ => "auth" };
        kind.AcceptOnlyFromAmong("auth", "sign");
        var command = new Command("revoke-latency", "Revoke good certificates from THIS process (as the jpki command line would, on the server's data folder) and measure how long until the running server's OCSP answer and the delta CRL of the certificate's partition show each revocation.");
        foreach (var o in new Option[] { url, data, count, kind })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(count) is < 1 or > 10_000)
            {
                context.Stderr.WriteLine("error: --count between 1 and 10,000.");
                return ExitCodes.BadUsage;
            }

            var target = parse.GetValue(url)!;
            var (addresses, refusal) = await LoopbackGuard.CheckAsync(target, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                context.Stderr.WriteLine("error: " + refusal);
                return ExitCodes.BadUsage;
            }

            var folder = DataPath(parse, data);
            var manifest = await LoadManifest.ReadAsync(folder, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                context.Stderr.WriteLine($"error: {LoadManifest.PathIn(folder)} not found: run `jpki-load prepare --data {folder}` and serve that folder.");
                return ExitCodes.BadUsage;
            }

            using var http = LoadHttp.Client(target, LoadHttp.Handler(addresses!, 4));
            return await Scenarios.RevokeLatency.RunAsync(http, folder, manifest, parse.GetValue(kind)!, parse.GetValue(count), context.Clock, context.Stdout, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Builds a scenario's runnable object from the common inputs; may add its own options.</summary>
    private delegate Func<ParseResult, HttpClient, LoadManifest, string, IScenario> ScenarioFactory(Command command, LoadContext context);

    private static Command Scenario(LoadContext context, string name, string description, ScenarioFactory factory)
    {
        var url = new Option<string>("--url") { Description = "Server base URL; its host must be or resolve to loopback (127.0.0.0/8, ::1).", Required = true };
        var data = DataOption();
        var duration = Duration("--duration", "Measured time (e.g. 60s, 2m).", "60s");
        var warmup = Duration("--warmup", "Time sent before measuring (JIT, connections, server caches); answers still checked, not counted.", "5s");
        var timeout = Duration("--timeout", "Per-request timeout; a slower answer counts as a timeout error.", "10s");
        var maxRequests = new Option<long>("--max-requests") { Description = "The most requests measured.", DefaultValueFactory = _ => 10_000_000 };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 8 };
        var rate = new Option<double>("--rate") { Description = "Requests/s over all workers (paced, open schedule); 0 = as fast as answered.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var output = new Option<FileInfo>("--out") { Description = "Also write the JSON report to this file." };
        var close = new Option<bool>("--close") { Description = "Send Connection: close (a new connection per request) — for servers without keep-alive, such as openssl ocsp." };
        var command = new Command(name, description);
        foreach (var o in new Option[] { url, data, duration, maxRequests, concurrency, rate, warmup, timeout, json, output, close })
        {
            command.Options.Add(o);
        }

        var build = factory(command, context);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new LoadSettings(parse.GetValue(duration), parse.GetValue(maxRequests), parse.GetValue(concurrency), parse.GetValue(rate), parse.GetValue(warmup), parse.GetValue(timeout));
            if (settings.Duration <= TimeSpan.Zero || settings.Duration > LoadSettings.MaxDuration || settings.MaxRequests < 1 || settings.MaxRequests > LoadSettings.MaxRequestCap
                || settings.Concurrency < 1 || settings.Concurrency > LoadSettings.MaxConcurrency || settings.Rate < 0 || settings.Timeout <= TimeSpan.Zero)
            {
                context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: bounds: 0 < --duration <= {LoadSettings.MaxDuration.TotalMinutes} min, 1 <= --max-requests <= {LoadSettings.MaxRequestCap:N0}, 1 <= --concurrency <= {LoadSettings.MaxConcurrency}, --rate >= 0, --timeout > 0."));
                return ExitCodes.BadUsage;
            }

            var target = parse.GetValue(url)!;
            var (addresses, refusal) = await LoopbackGuard.CheckAsync(target, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                context.Stderr.WriteLine("error: " + refusal);
                return ExitCodes.BadUsage;
            }

            var folder = DataPath(parse, data);
            var manifest = await LoadManifest.ReadAsync(folder, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                context.Stderr.WriteLine($"error: {LoadManifest.PathIn(folder)} not found: run `jpki-load prepare --data {folder}` and serve that folder.");
                return ExitCodes.BadUsage;
            }

            var cookies = name == "counter-issue" ? new CookieContainer() : null;
            using var http = LoadHttp.Client(target, LoadHttp.Handler(addresses!, settings.Concurrency, cookies));
            http.DefaultRequestHeaders.ConnectionClose = parse.GetValue(close);
            var scenario = build(parse, http, manifest, folder);
            await using (scenario.ConfigureAwait(false))
            {
                try
                {
                    await scenario.SetUpAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
                {
                    context.Stderr.WriteLine($"error: set-up of {name} against {target} failed: {e.Message}");
                    return ExitCodes.BadUsage;
                }

                var report = await LoadRunner.RunAsync(scenario, target, settings, cancellationToken).ConfigureAwait(false);
                var text = ReportWriter.ToJson(report);
                if (parse.GetValue(output) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, text + "\n", cancellationToken).ConfigureAwait(false);
                }

                if (parse.GetValue(json))
                {
                    context.Stdout.WriteLine(text);
                }
                else
                {
                    ReportWriter.WriteHuman(context.Stdout, report);
                }

                return report.Errors == 0 && report.Succeeded > 0 ? ExitCodes.Ok : ExitCodes.Errors;
            }
        });
        return command;
    }

    private static Option<TimeSpan> Duration(string name, string description, string fallback) => new(name)
    {
        Description = description + " Default " + fallback + ".",
        DefaultValueFactory = _ => DurationText.TryParse(fallback, out var d) ? d : TimeSpan.Zero,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (DurationText.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration (e.g. 500ms, 60s, 2m).");
            return TimeSpan.Zero;
        },
    };

    private static List<string>? KindList(string? text)
    {
        var list = (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        return list.Count > 0 && list.All(k => Kinds.Contains(k)) ? list : null;
    }

    private static Option<string> KindsOption(string what) => new("--kinds")
    {
        Description = $"Which CAs' {what}: auth, sign or auth,sign.",
        DefaultValueFactory = _ => "auth,sign",
        Validators = { r => { if (KindList(r.GetValueOrDefault<string>()) is null) { r.AddError("--kinds: auth, sign or auth,sign."); } } },
    };

    private static Option<int> Percent(string name, string description, int fallback) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        Validators = { r => { if (r.GetValueOrDefault<int>() is < 0 or > 100) { r.AddError(name + ": 0 to 100."); } } },
    };

    private static Func<ParseResult, HttpClient, LoadManifest, string, IScenario> Ocsp(Command command, LoadContext context)
    {
        var mix = new Option<string>("--mix")
        {
            Description = "Percentages good:revoked:unknown (sum 100).",
            DefaultValueFactory = _ => "80:10:10",
            Validators = { r => { if (ParseMix(r.GetValueOrDefault<string>()) is null) { r.AddError("--mix: three whole numbers good:revoked:unknown that add up to 100."); } } },
        };
        var get = Percent("--get-percent", "Share of requests sent as GET /ocsp/{base64} (the rest POST).", 50);
        var nonce = Percent("--nonce-percent", "Share of requests with a nonce (each signed by the responder; the rest may be pre-signed).", 0);
        var kinds = KindsOption("certificates to ask about");
        var path = new Option<string>("--path")
        {
            Description = "The responder's path under --url: POST there, GET {path}/{base64}. '/' for a responder at the root, as `openssl ocsp -port` is.",
            DefaultValueFactory = _ => "ocsp",
        };
        command.Options.Add(mix);
        command.Options.Add(get);
        command.Options.Add(nonce);
        command.Options.Add(kinds);
        command.Options.Add(path);
        return (parse, http, manifest, _) =>
        {
            var m = ParseMix(parse.GetValue(mix))!;
            return new OcspScenario(http, manifest, new OcspMix(m[0], m[1], m[2], parse.GetValue(get), parse.GetValue(nonce), KindList(parse.GetValue(kinds))!), context.Clock, parse.GetValue(path)!);
        };
    }

    private static int[]? ParseMix(string? text)
    {
        var parts = (text ?? string.Empty).Split(':');
        var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        return numbers.Length == 3 && numbers.All(n => n is >= 0 and <= 100) && numbers.Sum() == 100 ? numbers : null;
    }

    private static Func<ParseResult, HttpClient, LoadManifest, string, IScenario> Crl(Command command, LoadContext context)
    {
        var kinds = KindsOption("CRLs to download");
        var conditional = Percent("--conditional-percent", "Share of requests made conditional (If-None-Match / If-Modified-Since) when the server sends validators.", 50);
        command.Options.Add(kinds);
        command.Options.Add(conditional);
        return (parse, http, manifest, _) => new CrlScenario(http, manifest, KindList(parse.GetValue(kinds))!, parse.GetValue(conditional), context.Clock);
    }

    private static Func<ParseResult, HttpClient, LoadManifest, string, IScenario> CounterIssue(Command command, LoadContext context) =>
        (_, http, manifest, folder) => new CounterIssueScenario(http, manifest, folder);

    private static Func<ParseResult, HttpClient, LoadManifest, string, IScenario> Verify(Command command, LoadContext context)
    {
        var revocation = new Option<string>("--revocation") { Description = "Revocation source: ocsp (one request per verification) or crl (downloaded, kept until nextUpdate).", DefaultValueFactory = _ => "ocsp" };
        revocation.AcceptOnlyFromAmong("ocsp", "crl");
        var cache = new Option<bool>("--ocsp-cache") { Description = "Keep OCSP answers in the verifier until their nextUpdate (default: ask the server for every verification)." };
        command.Options.Add(revocation);
        command.Options.Add(cache);
        return (parse, http, manifest, folder) => new VerifyScenario(http, manifest, folder, parse.GetValue(revocation)!, parse.GetValue(cache), context.Clock);
    }
}
