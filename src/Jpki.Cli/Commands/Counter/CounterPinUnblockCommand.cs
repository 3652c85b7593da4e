using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;

namespace Jpki.Cli.Commands.Counter;

/// <summary>
/// <c>jpki counter pin-unblock</c>: a blocked PIN of a next-generation card unblocked with the holder's PUK and set anew
/// (docs/counter.md "PUK at the counter"). A wrong PUK answers its tries left (<c>triesLeft</c> in --json).
/// </summary>
internal static class CounterPinUnblockCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CounterCommand.Common();
        var cards = new CounterCardOptions();
        var secrets = new CounterSecrets();
        secrets.Add("puk", "PUK (8 digits, from the letter that came with the card)");
        secrets.Add("new-pin", "new PIN or password");
        var resident = new Option<string>("--resident") { Description = "The holder's resident id.", Required = true };
        var which = new Option<string>("--which") { Description = "sign (password) or auth (PIN): the PINs the PUK unblocks.", Required = true };
        which.AcceptOnlyFromAmong("sign", "auth");
        var identity = new Option<bool>("--identity-checked") { Description = "The clerk has checked the holder's photo ID." };
        var command = new Command(
            "pin-unblock",
            "Unblock a next-generation card's PIN with the holder's PUK and set a new one (on the card, no issuer channel). The PUK and the new PIN come from " +
            "--puk-env / --new-pin-env or the first two lines of standard input. Exit 1 on a refusal: a wrong PUK (puk-wrong, with the PUK's tries left), " +
            "a blocked or unset PUK or today's RSA card (puk-blocked, puk-not-set, card-has-no-puk: use pin-reset instead).");
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

            var (pins, error) = secrets.Read(parse, context, new HashSet<string>(StringComparer.Ordinal) { "puk", "new-pin" });
            if (pins is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            try
            {
                var kind = parse.GetValue(which) == "sign" ? PinKind.SignaturePassword : PinKind.AuthenticationPin;
                return await common.RunAsync(context, parse, async (runtime, _) =>
                {
                    using var card = await cards.OpenAsync(parse, runtime, ct).ConfigureAwait(false);
                    var outcome = await runtime.Counter.UnblockWithPukAsync(
                        common.StaffOf(parse), card, new PukUnblockRequest(parse.GetValue(resident)!, parse.GetValue(identity), kind, pins["puk"], pins["new-pin"]), ct).ConfigureAwait(false);
                    if (outcome.IsAllowed)
                    {
                        return CommandResult.Write(context, json, new { resident = parse.GetValue(resident), pin = parse.GetValue(which), unblocked = true },
                            w => w.WriteLine($"The {parse.GetValue(which)} PIN was unblocked with the PUK and set anew."));
                    }

                    return outcome.Data?.TriesLeft is { } tries
                        ? CommandResult.Write(context, json, new { error = outcome.Code, message = outcome.Message, triesLeft = tries },
                            _ => context.Stderr.WriteLine($"refused ({outcome.Code}): {outcome.Message}"), ExitCodes.Negative)
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
