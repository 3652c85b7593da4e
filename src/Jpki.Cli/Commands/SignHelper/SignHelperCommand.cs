using System.CommandLine;
using Jpki.Cli.Commands.Card;
using Jpki.Cli.Logging;
using Jpki.Cli.Output;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.SignHelper;

/// <summary><c>jpki sign-helper</c>: the local signing helper a city's e-application page calls on 127.0.0.1.</summary>
internal static class SignHelperCommand
{
    public static Command Create(CliContext context)
    {
        var connection = new CardConnection();
        var port = new Option<int>("--port")
        {
            Description = "Loopback port to listen on (127.0.0.1 only).",
            DefaultValueFactory = _ => SignHelperOptions.DefaultPort,
        };
        var origins = new Option<string[]>("--origin")
        {
            Description = "A web site allowed to ask for signatures and logins, e.g. https://e-apply.city.example.jp (repeatable). Default: http://127.0.0.1:8080 (jpki serve).",
            AllowMultipleArgumentsPerToken = true,
        };
        var tsa = HttpUriOption.Create("--tsa", "The RFC 3161 time-stamping authority for pages that ask for B-T, B-LT or B-LTA, e.g. http://127.0.0.1:8080/tsa (jpki serve). Without it the helper makes B-B only.");
        var ocsp = HttpUriOption.Create("--ocsp", "For B-LT: ask this OCSP responder instead of the one the certificates name.");
        var chain = new Option<FileInfo[]>("--chain") { Description = "Issuer certificates (PEM or DER) to complete chains for B-LT, e.g. the TSA root; repeat for several (as jpki sign)." };
        var command = new Command(
            "sign-helper",
            "Run the local signing helper for the e-application pages: listens on 127.0.0.1 only, accepts documents from the allowed origins only " +
            "(CORS), shows each document and its SHA-256 here, asks for the signature password on THIS console (never from the web page), signs " +
            "with the card exactly as `jpki sign` does and returns the signature to the page: POST /sign?format=cades (default: a detached CMS .p7s), " +
            "format=xades (the XML with an enveloped signature, or placement=detached&name=FILE for any document) or format=pades (the signed PDF, an incremental update); " +
            "&level=B-B (default), B-T, B-LT or B-LTA (these need --tsa). A format that does not fit the document (xades enveloped for non-XML, pades for a non-PDF) is refused before the password is asked. " +
            "It is also the citizen's login helper (docs/login.md): POST /login from an allowed origin shows that origin, asks the 4-digit PIN here " +
            "(or the signature password for the basic 4 info), and the card signs SHA-256(origin) ‖ SHA-256(nonce). Ctrl+C stops it.");
        connection.AddTo(command);
        command.Options.Add(port);
        command.Options.Add(origins);
        command.Options.Add(tsa);
        command.Options.Add(ocsp);
        command.Options.Add(chain);
        command.Options.Add(CardCommand.LogLevelOption);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var allowed = parse.GetValue(origins) is { Length: > 0 } given ? given : ["http://127.0.0.1:8080"];
            if (allowed.FirstOrDefault(o => SignHelperOptions.NormalizeOrigin(o) is null) is { } bad)
            {
                return CommandResult.BadInput(context, json, $"Not an http(s) origin (scheme://host[:port]): {bad}");
            }

            if (parse.GetValue(connection.Card) is null == (parse.GetValue(connection.Reader) is null))
            {
                return CommandResult.BadInput(context, json, "Give exactly one of --card <file> (virtual card) or --reader <name> (PC/SC).");
            }

            var extra = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
            try
            {
                foreach (var certificates in parse.GetValue(chain) ?? [])
                {
                    extra.AddRange(Verify.VerifyCommand.LoadCertificates(certificates.FullName));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            // Declared before the server, so disposed after it: the signing library logs until the helper stops.
            using var loggers = CliLogging.Create(context, CliLogging.LevelOf(context, parse, CardCommand.LogLevelOption));
            var options = new SignHelperOptions(parse.GetValue(port), allowed)
            {
                Tsa = parse.GetValue(tsa), Ocsp = parse.GetValue(ocsp), Chain = extra, Logger = loggers.CreateLogger("Jpki.Signing"),
            };
            await using var server = new SignHelperServer(options, () => connection.Open(parse), new ConsolePasswordPrompt(context), context.Stdout, context.Clock);
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return CommandResult.BadInput(context, json, $"Cannot listen on 127.0.0.1:{parse.GetValue(port)}: {e.Message}");
            }

            context.Stdout.WriteLine($"OpenJpki signing helper on {server.Address} for {string.Join(", ", allowed)}; {(options.Tsa is { } t ? $"levels B-B to B-LTA with the TSA {t}" : "level B-B only (no --tsa)")}. Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
