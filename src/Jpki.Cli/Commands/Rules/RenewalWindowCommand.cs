using System.CommandLine;
using System.Globalization;
using Jpki.Cli.Output;
using Jpki.Core.Rules;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules renewal-window</c>: may a certificate be renewed on a given day?</summary>
internal static class RenewalWindowCommand
{
    public static Command Create(CliContext context)
    {
        var expiry = IsoDateOption.Create("--expiry", "The certificate's expiry date.", required: true);
        var on = IsoDateOption.Create("--on", "The day of the renewal request. Default: today (JST).", required: false);
        var profile = CardGenerationOption.Create("the window opens one year before the expiry");
        var command = new Command(
            "renewal-window",
            "Whether a certificate can be renewed on a day: from 3 months before its expiry (same day of month, clamped to the month's end) through the expiry day (JPKI-REFERENCE §7); with --profile nextgen from one year before (§14).\n" +
            "Exit codes: 0 inside the window, 1 outside (too early: the first possible date is given; after expiry: a new issuance is needed), 2 bad input.");
        command.Options.Add(expiry);
        command.Options.Add(on);
        command.Options.Add(profile);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (!IsoDateOption.TryGet(parse, expiry, out var expiryDate, out var error)
                || !IsoDateOption.TryGetOrToday(parse, on, context, out var onDate, out error))
            {
                return CommandResult.BadInput(context, json, error);
            }

            var window = RenewalWindow.For(expiryDate!.Value, CardGenerationOption.Get(parse, profile));
            var outcome = window.Check(onDate);
            DateOnly? firstPossible = outcome.Code == RenewalWindow.TooEarlyCode ? window.Opens : null;
            var payload = new
            {
                profile = parse.GetValue(profile),
                expiry = window.Expiry,
                opens = window.Opens,
                on = onDate,
                inside = outcome.IsAllowed,
                code = outcome.Code,
                message = outcome.Message,
                firstPossibleDate = firstPossible,
            };
            return CommandResult.Write(
                context,
                json,
                payload,
                w =>
                {
                    if (outcome.IsAllowed)
                    {
                        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inside: renewal is possible on {onDate:yyyy-MM-dd}; the window runs from {window.Opens:yyyy-MM-dd} to {window.Expiry:yyyy-MM-dd}."));
                    }
                    else
                    {
                        w.WriteLine($"outside ({outcome.Code}): {outcome.Message}");
                    }
                },
                outcome.IsAllowed ? ExitCodes.Ok : ExitCodes.Negative);
        });
        return command;
    }
}
