using Jpki.Authority.Contracts;
using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Core.Rules;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules eligibility</c>: may this certificate be issued to this holder onto this card?</summary>
internal static class EligibilityCommand
{
    public static Command Create(CliContext context)
    {
        var birth = IsoDateOption.Create("--birth", "The holder's date of birth.", required: true);
        var issued = IsoDateOption.Create("--issued", "Japan date of issuance. Default: today (JST).", required: false);
        var kind = new Option<string>("--kind")
        {
            Description = "Which certificate: sign (署名用) or auth (利用者証明用).",
            DefaultValueFactory = _ => WireNames.Signature,
        };
        kind.AcceptOnlyFromAmong([.. WireNames.KindNames]);
        var card = new Option<string>("--card")
        {
            Description = "The card: mynumber (個人番号カード) or juki (住民基本台帳カード).",
            DefaultValueFactory = _ => "mynumber",
        };
        card.AcceptOnlyFromAmong("mynumber", "juki");
        var guardianship = new Option<bool>("--under-guardianship")
        {
            Description = "The holder is an adult under guardianship (成年被後見人).",
        };
        var command = new Command(
            "eligibility",
            "Whether a certificate may be issued: no sign certificate under 15 or under guardianship (the auth certificate is allowed); no new issuance onto a 住基カード from 2016-01-01 (JPKI-REFERENCE §5).\n" +
            "Exit codes: 0 allowed, 1 refused (sign-under-15, sign-under-guardianship, juki-card-issuance-ended), 2 bad input.");
        command.Options.Add(birth);
        command.Options.Add(issued);
        command.Options.Add(kind);
        command.Options.Add(card);
        command.Options.Add(guardianship);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (!IsoDateOption.TryGet(parse, birth, out var dob, out var error)
                || !IsoDateOption.TryGetOrToday(parse, issued, context, out var issuedOn, out error))
            {
                return CommandResult.BadInput(context, json, error);
            }

            if (issuedOn < dob!.Value)
            {
                return CommandResult.BadInput(context, json, "--issued is before --birth.");
            }

            var kindName = parse.GetValue(kind)!;
            var cardName = parse.GetValue(card)!;
            WireNames.TryParseKind(kindName, out var certificateKind);
            var outcome = Eligibility.Check(
                certificateKind,
                cardName == "juki" ? CardKind.JukiCard : CardKind.MyNumberCard,
                dob.Value,
                issuedOn,
                parse.GetValue(guardianship));
            var payload = new { kind = kindName, card = cardName, issuedOn, allowed = outcome.IsAllowed, code = outcome.Code, message = outcome.Message };
            return CommandResult.Write(
                context,
                json,
                payload,
                w => w.WriteLine(outcome.IsAllowed ? $"allowed: a {kindName} certificate may be issued onto this card." : $"refused ({outcome.Code}): {outcome.Message}"),
                outcome.IsAllowed ? ExitCodes.Ok : ExitCodes.Negative);
        });
        return command;
    }
}
