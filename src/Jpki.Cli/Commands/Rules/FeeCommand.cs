using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Core.Rules;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules fee</c>: what issuing a certificate costs.</summary>
internal static class FeeCommand
{
    public static Command Create(CliContext context)
    {
        var card = new Option<string>("--card")
        {
            Description = "The card: mynumber (個人番号カード) or juki (住民基本台帳カード).",
            DefaultValueFactory = _ => "mynumber",
        };
        card.AcceptOnlyFromAmong("mynumber", "juki");
        var issued = IsoDateOption.Create("--issued", "Japan date of issuance. Default: today (JST).", required: false);
        var cardExpiry = IsoDateOption.Create("--card-expiry", "The card's expiry date.", required: true);
        var command = new Command(
            "fee",
            "The certificate fee: free onto a My Number card within its validity; 200 yen otherwise (住基カード, or outside the card's validity) (JPKI-REFERENCE §10).\n" +
            "Exit codes: 0 computed, 2 bad input.");
        command.Options.Add(card);
        command.Options.Add(issued);
        command.Options.Add(cardExpiry);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (!IsoDateOption.TryGetOrToday(parse, issued, context, out var issuedOn, out var error)
                || !IsoDateOption.TryGet(parse, cardExpiry, out var expiry, out error))
            {
                return CommandResult.BadInput(context, json, error);
            }

            var cardName = parse.GetValue(card)!;
            var fee = Fees.For(cardName == "juki" ? CardKind.JukiCard : CardKind.MyNumberCard, issuedOn, expiry!.Value);
            return CommandResult.Write(
                context,
                json,
                new { card = cardName, issuedOn, yen = fee.Yen, code = fee.Code, reason = fee.Reason },
                w => w.WriteLine($"{fee.Yen} yen ({fee.Code}): {fee.Reason}"));
        });
        return command;
    }
}
