using System.CommandLine;
using System.Globalization;
using Jpki.Cli.Output;
using Jpki.Core.Rules;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules card-expiry</c>: when a My Number card expires.</summary>
internal static class CardExpiryCommand
{
    public static Command Create(CliContext context)
    {
        var birth = IsoDateOption.Create("--birth", "The applicant's date of birth.", required: true);
        var applied = IsoDateOption.Create("--applied", "The application date: decides adult (10 years) or minor (5 years).", required: true);
        var issued = IsoDateOption.Create("--issued", "The date J-LIS issued the card: birthdays are counted from it.", required: true);
        var profile = CardGenerationOption.Create("one month after the counted birthday");
        var command = new Command(
            "card-expiry",
            "When a My Number card expires: applicant 18 or over on the application date (20 before 2022-04-01) → 10th birthday after the card's issuance; younger → 5th (JPKI-REFERENCE §7); with --profile nextgen one month after that birthday (§14).\n" +
            "Exit codes: 0 computed, 2 bad input.");
        command.Options.Add(birth);
        command.Options.Add(applied);
        command.Options.Add(issued);
        command.Options.Add(profile);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (!IsoDateOption.TryGet(parse, birth, out var dob, out var error)
                || !IsoDateOption.TryGet(parse, applied, out var appliedOn, out error)
                || !IsoDateOption.TryGet(parse, issued, out var issuedOn, out error))
            {
                return CommandResult.BadInput(context, json, error);
            }

            if (appliedOn!.Value < dob!.Value)
            {
                return CommandResult.BadInput(context, json, "--applied is before --birth.");
            }

            if (issuedOn!.Value < appliedOn.Value)
            {
                return CommandResult.BadInput(context, json, "--issued is before --applied: J-LIS issues the card after the application.");
            }

            var expiry = CardValidity.Compute(dob.Value, appliedOn.Value, issuedOn.Value, CardGenerationOption.Get(parse, profile));
            var payload = new
            {
                profile = parse.GetValue(profile),
                dateOfBirth = dob.Value,
                appliedOn = appliedOn.Value,
                issuedOn = issuedOn.Value,
                ageAtApplication = expiry.AgeAtApplication,
                adultAge = expiry.AdultAge,
                birthdaysCounted = expiry.BirthdaysCounted,
                expiresOn = expiry.ExpiresOn,
            };
            return CommandResult.Write(context, json, payload, w =>
            {
                var who = expiry.BirthdaysCounted == CardValidity.AdultBirthdays ? "an adult" : "a minor";
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Card expires {expiry.ExpiresOn:yyyy-MM-dd}"));
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the applicant was {expiry.AgeAtApplication} on {appliedOn.Value:yyyy-MM-dd} ({who}; adult age {expiry.AdultAge}),"));
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  so the card runs to the {expiry.BirthdaysCounted}th birthday after its issuance on {issuedOn.Value:yyyy-MM-dd}{(expiry.Generation == Jpki.Core.Identity.CardGeneration.NextGeneration ? ", plus one month (next-generation card)" : "")}."));
            });
        });
        return command;
    }
}
