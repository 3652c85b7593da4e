using System.CommandLine;
using Jpki.Card.Client;
using Jpki.Cli.Output;
using Jpki.Core.Pins;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card change-pin</c>: VERIFY the current PIN, then CHANGE REFERENCE DATA.</summary>
internal static class CardChangePinCommand
{
    public static Command Create(CliContext context)
    {
        var connection = new CardConnection();
        var which = new Option<string>("--which") { Description = "sign (signature password), auth (authentication PIN) or card (card PIN of the text AP).", Required = true };
        which.AcceptOnlyFromAmong("sign", "auth", "card");
        var current = new PinInput("pin", "current PIN");
        var next = new PinInput("new-pin", "new PIN");
        var command = new Command("change-pin", "Change a PIN on the card (the current one is needed; a blocked PIN must be reset at the counter).");
        connection.AddTo(command);
        command.Options.Add(which);
        current.AddTo(command);
        next.AddTo(command);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var kind = CardClientRunner.ParsePinKind(parse.GetValue(which)!);
            var policy = PinPolicy.For(kind);
            var (oldPin, error) = current.Read(parse, context, "Current PIN: ", kind);
            if (oldPin is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            var (newPin, newError) = next.Read(parse, context, $"New PIN ({policy.Description}): ");
            if (newPin is null)
            {
                Array.Clear(oldPin);
                return CommandResult.BadInput(context, json, newError!);
            }

            try
            {
                var verdict = policy.Validate(new string(newPin));
                if (!verdict.IsAllowed)
                {
                    return CommandResult.BadInput(context, json, verdict.Message!);
                }

                return CardClientRunner.Run(context, parse, connection, (client, json) =>
                {
                    var verification = client.ChangePin(kind, oldPin, verdict.Value);
                    if (!verification.Verified)
                    {
                        return verification.Blocked
                            ? CardClientRunner.Refused(context, json, "pin-blocked", "The PIN is blocked; it must be reset at the municipal counter.")
                            : CardClientRunner.Refused(context, json, "pin-wrong", $"Wrong current PIN; {verification.TriesLeft} tries left before it blocks.");
                    }

                    return CommandResult.Write(context, json, new { changed = true }, w => w.WriteLine("PIN changed."));
                });
            }
            finally
            {
                Array.Clear(oldPin);
                Array.Clear(newPin);
            }
        });
        return command;
    }
}
