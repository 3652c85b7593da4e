using System.CommandLine;
using Jpki.Cli.Commands.Card;
using Jpki.Cli.Output;
using Microsoft.Extensions.Hosting;

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
        var command = new Command(
            "sign-helper",
            "Run the local signing helper for the e-application pages: listens on 127.0.0.1 only, accepts documents from the allowed origins only " +
            "(CORS), shows each document and its SHA-256 here, asks for the signature password on THIS console (never from the web page), signs " +
            "with the card (detached CMS, like `jpki sign`) and returns the .p7s to the page. " +
            "It is also the citizen's login helper (docs/login.md): POST /login from an allowed origin shows that origin, asks the 4-digit PIN here " +
            "(or the signature password for the basic 4 info), and the card signs SHA-256(origin) ‖ SHA-256(nonce). Ctrl+C stops it.");
        connection.AddTo(command);
        command.Options.Add(port);
        command.Options.Add(origins);
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

            await using var server = new SignHelperServer(
                new SignHelperOptions(parse.GetValue(port), allowed), () => connection.Open(parse), new ConsolePasswordPrompt(context), context.Stdout, context.Clock);
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return CommandResult.BadInput(context, json, $"Cannot listen on 127.0.0.1:{parse.GetValue(port)}: {e.Message}");
            }

            context.Stdout.WriteLine($"OpenJpki signing helper on {server.Address} for {string.Join(", ", allowed)}. Ctrl+C stops it.");
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
