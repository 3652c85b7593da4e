using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Jpki.Cli.Output;
using Jpki.Server;
using Microsoft.Extensions.Hosting;

namespace Jpki.Cli.Commands;

/// <summary><c>jpki serve</c>: runs the OpenJpki server on the embedded default.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Data folder (created if missing). Default: $JPKI_DATA, else ./jpki-data.",
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on.",
            DefaultValueFactory = _ => JpkiServerOptions.DefaultUrls,
        };
        var publicUrl = HttpUriOption.Create("--public-url", "The address people reach this server at (behind a proxy: its https address). The OpenID Connect issuer is this + oidc/; card logins are bound to its origin. Default: the first --urls address.");
        var helperUrl = HttpUriOption.Create("--login-helper-url", "Where the /oidc login page looks for the citizen's jpki sign-helper. Default: http://127.0.0.1:61001.");
        var allowedHost = new Option<string[]>("--allowed-host")
        {
            Description = "A host name this server answers to (the Host header; repeat for several; *.example.jp allowed); any other gets 400. Default: on loopback addresses the loopback names, elsewhere any host. The --public-url host is always allowed.",
            AllowMultipleArgumentsPerToken = false,
        };
        var trustedProxy = new Option<string[]>("--trusted-proxy")
        {
            Description = "A reverse proxy (IP address, or network as 10.0.0.0/24; repeat for several) whose X-Forwarded-For and X-Forwarded-Proto are believed: behind a TLS proxy, cookies become Secure and the staff lockout counts the client the proxy names. Default none: those headers are ignored.",
            AllowMultipleArgumentsPerToken = false,
        };
        trustedProxy.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!Jpki.Server.JpkiServerOptions.IsProxyAddress(value))
                {
                    result.AddError($"--trusted-proxy '{value}' is not an IP address or a CIDR network (e.g. 10.0.0.5 or 10.0.0.0/24).");
                }
            }
        });
        var metrics = HttpUriOption.Create("--metrics", "Serve metrics in Prometheus text format at /metrics on this address of its own, e.g. http://127.0.0.1:9464/ (an IP address or localhost; never on the --urls addresses). Default: off (docs/operations.md).");
        metrics.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<Uri>() is { } url && !JpkiServerOptions.IsMetricsUrl(url, out var problem))
            {
                result.AddError($"--metrics {url} {problem}.");
            }
        });
        var otlp = HttpUriOption.Create("--otlp", "Send metrics and traces to this OpenTelemetry collector (OTLP over HTTP, e.g. http://127.0.0.1:4318). Default: off, unless $OTEL_EXPORTER_OTLP_ENDPOINT is set.");
        var tlsCert = new Option<FileInfo>("--tls-cert") { Description = "Server certificate (PEM) for https:// addresses; verifiers may then present TLS client certificates." };
        var tlsKey = new Option<FileInfo>("--tls-key") { Description = "Private key (PEM) of --tls-cert." };
        var role = new Option<string>("--role")
        {
            Description = "What this process runs: all (authority and counter, the default), authority (CAs, registry, CRLs, OCSP, the registration-authority API, e-application, /oidc), or counter (residents, staff pages and API, cards) against the authority at --authority.",
            DefaultValueFactory = _ => "all",
        };
        role.AcceptOnlyFromAmong("all", "authority", "counter");
        var authorityUrl = HttpUriOption.Create("--authority", "With --role counter: the authority server to issue and revoke through (its /api/authority), e.g. https://ca.example.jp/. The registration-authority key comes from --ra-key-file or $JPKI_RA_KEY.");
        var raKeyFile = new Option<FileInfo>("--ra-key-file")
        {
            Description = "With --role counter: a file holding the registration-authority key the authority accepts (e.g. the embedded authority's <data>/authority/registration-authority-key). Default: $JPKI_RA_KEY. Never put the key itself on the command line.",
        };
        var cardKeyFile = new Option<FileInfo>("--card-master-key-file")
        {
            Description = "File with the card-management master key (64+ hex characters or 32+ raw bytes) the counter reaches cards with. Default: $" + Counter.CounterCommand.MasterKeyVariable + ". Required for --role counter. Without it --role all runs in SANDBOX mode with the public development key (said on start and on every staff page).",
        };
        var sandbox = new Option<bool>("--sandbox")
        {
            Description = "Run explicitly in sandbox mode: the counter uses the PUBLIC development card-management key; cards issued are for testing only (--role all, without --card-master-key-file; also the default then).",
        };
        var config = new Option<FileInfo>("--config")
        {
            Description = "Settings file (JSON, section \"Serve\"; docs/operations.md). Default: appsettings.json in the data folder, if there is one. Environment variables JPKI_SERVE__<SETTING> override it, flags given here override both.",
        };
        var command = new Command("serve", "Run the OpenJpki server (health, authority, counter, e-application, OpenID Connect provider at /oidc) on the embedded default: SQLite, keys in files, virtual cards — no setup. " +
            "Environment: $JPKI_COUNTER_POSTGRES puts the counter store on PostgreSQL; $JPKI_LOGIN_POSTGRES puts the /oidc login nonces on PostgreSQL, for several serve processes behind one load balancer (docs/login.md).");
        command.Options.Add(data);
        command.Options.Add(urls);
        command.Options.Add(publicUrl);
        command.Options.Add(helperUrl);
        command.Options.Add(allowedHost);
        command.Options.Add(trustedProxy);
        command.Options.Add(metrics);
        command.Options.Add(otlp);
        command.Options.Add(tlsCert);
        command.Options.Add(tlsKey);
        command.Options.Add(role);
        command.Options.Add(authorityUrl);
        command.Options.Add(raKeyFile);
        command.Options.Add(cardKeyFile);
        command.Options.Add(sandbox);
        command.Options.Add(config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(data)?.FullName
                ?? Environment.GetEnvironmentVariable("JPKI_DATA")
                ?? Path.Combine(Environment.CurrentDirectory, "jpki-data");
            var json = parse.GetValue(GlobalOptions.Json);
            ServeSettings settings;
            try
            {
                settings = ServeConfiguration.Load(parse.GetValue(config)?.FullName, folder, given =>
                {
                    // Only the flags on the command line: an option's default must not hide the settings file or environment.
                    bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

                    if (Given(urls))
                    {
                        given.Urls = parse.GetValue(urls)!;
                    }

                    if (Given(role))
                    {
                        given.Role = parse.GetValue(role)!;
                    }

                    if (Given(publicUrl))
                    {
                        given.PublicUrl = parse.GetValue(publicUrl)?.AbsoluteUri;
                    }

                    if (Given(helperUrl))
                    {
                        given.LoginHelperUrl = parse.GetValue(helperUrl)?.AbsoluteUri;
                    }

                    if (Given(allowedHost))
                    {
                        given.AllowedHosts = [.. parse.GetValue(allowedHost) ?? []];
                    }

                    if (Given(trustedProxy))
                    {
                        given.TrustedProxies = [.. parse.GetValue(trustedProxy) ?? []];
                    }

                    if (Given(metrics))
                    {
                        given.MetricsUrl = parse.GetValue(metrics)?.AbsoluteUri;
                    }

                    if (Given(otlp))
                    {
                        given.OtlpEndpoint = parse.GetValue(otlp)?.AbsoluteUri;
                    }

                    if (Given(tlsCert))
                    {
                        given.TlsCertificateFile = parse.GetValue(tlsCert)?.FullName;
                    }

                    if (Given(tlsKey))
                    {
                        given.TlsKeyFile = parse.GetValue(tlsKey)?.FullName;
                    }

                    if (Given(authorityUrl))
                    {
                        given.AuthorityUrl = parse.GetValue(authorityUrl)?.AbsoluteUri;
                    }

                    if (Given(raKeyFile))
                    {
                        given.RegistrationAuthorityKeyFile = parse.GetValue(raKeyFile)?.FullName;
                    }

                    if (Given(cardKeyFile))
                    {
                        given.CardMasterKeyFile = parse.GetValue(cardKeyFile)?.FullName;
                    }

                    if (Given(sandbox))
                    {
                        given.Sandbox = parse.GetValue(sandbox);
                    }
                });
            }
            catch (ServeConfigurationException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            X509Certificate2? loaded = null;
            if (settings.TlsCertificateFile is { } certFile)
            {
                try
                {
                    loaded = ServerCertificate.Load(Path.GetFullPath(certFile), Path.GetFullPath(settings.TlsKeyFile ?? certFile));
                }
                catch (InvalidDataException e)
                {
                    return CommandResult.BadInput(context, json, e.Message);
                }
            }

            using var tls = loaded;
            var serverRole = settings.Role switch { "authority" => ServerRole.Authority, "counter" => ServerRole.Counter, _ => ServerRole.All };
            var remote = settings.AuthorityUrl is { } remoteText ? new Uri(remoteText) : null;
            string? raKey = null;
            if (serverRole == ServerRole.Counter)
            {
                if (remote is null)
                {
                    return CommandResult.BadInput(context, json, "--role counter needs --authority URL (the authority server to issue through).");
                }

                try
                {
                    raKey = settings.RegistrationAuthorityKeyFile is { } keyFile ? File.ReadAllText(keyFile).Trim() : Environment.GetEnvironmentVariable("JPKI_RA_KEY")?.Trim();
                }
                catch (IOException e)
                {
                    return CommandResult.BadInput(context, json, $"cannot read --ra-key-file: {e.Message}");
                }

                if (string.IsNullOrEmpty(raKey))
                {
                    return CommandResult.BadInput(context, json, "--role counter needs the registration-authority key: --ra-key-file FILE or $JPKI_RA_KEY.");
                }
            }
            else if (remote is not null)
            {
                return CommandResult.BadInput(context, json, "--authority is for --role counter only.");
            }

            // The settings hold $JPKI_CARD_MASTER_KEY_FILE too (ServeConfiguration), below the flag and JPKI_SERVE__CARDMASTERKEYFILE.
            var cardKey = settings.CardMasterKeyFile is { Length: > 0 } keyPath ? Path.GetFullPath(keyPath) : null;
            if (CardKeyProblem(serverRole, cardKey, settings.Sandbox) is { } keyProblem)
            {
                return CommandResult.BadInput(context, json, keyProblem);
            }

            var options = new JpkiServerOptions { CardMasterKeyFile = serverRole == ServerRole.Authority ? null : cardKey, Role = serverRole, AuthorityUrl = remote, RegistrationAuthorityKey = raKey, DataDirectory = folder, Urls = settings.Urls, TlsCertificate = tls, PublicUrl = AsUri(settings.PublicUrl), LoginHelperUrl = AsUri(settings.LoginHelperUrl), AllowedHosts = settings.AllowedHosts, TrustedProxies = settings.TrustedProxies, MetricsUrl = AsUri(settings.MetricsUrl), OtlpEndpoint = AsUri(settings.OtlpEndpoint) };
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = JpkiServerHost.Build(options, context.Clock);
            }
            catch (Exception e) when (IsStartupFailure(e))
            {
                return CommandResult.BadInput(context, json, $"cannot open the data folder {folder}: {e.Message}");
            }

            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsStartupFailure(e))
                {
                    // A port in use, an address that is not this machine's, a URL that is no URL: a clear line, exit 2, no stack trace.
                    return CommandResult.BadInput(context, json, $"cannot listen on {options.Urls}: {e.Message}");
                }

                context.Stderr.WriteLine($"OpenJpki serving {options.Urls} with data in {folder}{options.Role switch { ServerRole.Authority => " (authority only)", ServerRole.Counter => $" (counter only, authority at {options.AuthorityUrl})", _ => "" }}. Ctrl+C stops it.");
                if (options.Sandbox)
                {
                    context.Stderr.WriteLine("SANDBOX MODE: the counter uses the PUBLIC development card-management key; cards and certificates issued here are for testing only. A real counter: --card-master-key-file FILE.");
                }

                if (options.MetricsUrl is { } metricsUrl)
                {
                    context.Stderr.WriteLine($"Metrics at {new Uri(metricsUrl, "metrics")} (Prometheus text format).");
                }

                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static Uri? AsUri(string? validated) => validated is null ? null : new Uri(validated);

    /// <summary>Null when the card-management key settings fit the role; else the line that says what to give.</summary>
    private static string? CardKeyProblem(ServerRole role, string? keyFile, bool sandbox)
    {
        if (sandbox && keyFile is not null)
        {
            return "--sandbox uses the public development card-management key: leave out --card-master-key-file (and $" + Counter.CounterCommand.MasterKeyVariable + "), or leave out --sandbox.";
        }

        if (sandbox && role != ServerRole.All)
        {
            return "--sandbox is for --role all (the counter and a test authority in one process).";
        }

        if (role == ServerRole.Counter && keyFile is null)
        {
            return "--role counter needs the card-management master key: --card-master-key-file FILE or $" + Counter.CounterCommand.MasterKeyVariable + " (a configured counter never uses the public development key).";
        }

        if (keyFile is not null && role != ServerRole.Authority)
        {
            try
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(Jpki.Municipality.Cards.CardMasterKey.Read(keyFile));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                return $"--card-master-key-file {keyFile}: {e.Message}";
            }
        }

        return null;
    }

    private static bool IsStartupFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException or System.Net.Sockets.SocketException or System.Net.HttpListenerException
        || (e is InvalidOperationException && e.InnerException is IOException or FormatException or System.Net.Sockets.SocketException);
}
