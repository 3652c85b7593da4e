using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter pin-reset</c>: a forgotten or blocked PIN set anew (no card PIN asked).</summary>
internal static class CounterPinResetCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CounterCommand.Common();
        var cards = new CounterCardOptions();
        var secrets = new CounterSecrets();
        secrets.Add("new-pin", "new PIN or password");
        var resident = new Option<string>("--resident") { Description = "The holder's resident id.", Required = true };
        var which = new Option<string>("--which") { Description = "sign (password), auth (PIN) or card (card PIN).", Required = true };
        which.AcceptOnlyFromAmong("sign", "auth", "card");
        var identity = new Option<bool>("--identity-checked") { Description = "The clerk has checked the holder's photo ID." };
        var command = new Command("pin-reset", "Reset (and unblock) a PIN on the holder's card. The new PIN comes from --new-pin-env or the first line of standard input. Exit 1 on a refusal.");
        common.AddTo(command);
        cards.AddTo(command);
        secrets.AddTo(command);
        command.Options.Add(resident);
        command.Options.Add(which);
        command.Options.Add(identity);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (cards.Validate(parse) is { } cardError)
            {
                return CommandResult.BadInput(context, json, cardError);
            }

            var (pins, error) = secrets.Read(parse, context, new HashSet<string>(StringComparer.Ordinal) { "new-pin" });
            if (pins is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            try
            {
                var kind = parse.GetValue(which) switch { "sign" => PinKind.SignaturePassword, "auth" => PinKind.AuthenticationPin, _ => PinKind.CardPin };
                return await common.RunAsync(context, parse, async (runtime, _) =>
                {
                    using var card = await cards.OpenAsync(parse, runtime, ct).ConfigureAwait(false);
                    var outcome = await runtime.Counter.ResetPinAsync(
                        common.StaffOf(parse), card, new PinResetRequest(parse.GetValue(resident)!, parse.GetValue(identity), kind, pins["new-pin"]), ct).ConfigureAwait(false);
                    return outcome.IsAllowed
                        ? CommandResult.Write(context, json, new { resident = parse.GetValue(resident), pin = parse.GetValue(which), reset = true }, w => w.WriteLine($"The {parse.GetValue(which)} PIN was reset."))
                        : CounterCommand.Refused(context, json, outcome);
                }, ct).ConfigureAwait(false);
            }
            finally
            {
                CounterSecrets.Dispose(pins);
            }
        });
        return command;
    }
}
