using System.CommandLine;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules</c>: the JPKI rules engine for people and programs.</summary>
internal static class RulesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("rules", "Ask the JPKI rules engine: certificate validity, renewal window, card expiry, PIN policy, eligibility, fees, character set, office hours.");
        command.Subcommands.Add(ValidityCommand.Create(context));
        command.Subcommands.Add(RenewalWindowCommand.Create(context));
        command.Subcommands.Add(CardExpiryCommand.Create(context));
        command.Subcommands.Add(PinCommand.Create(context));
        command.Subcommands.Add(EligibilityCommand.Create(context));
        command.Subcommands.Add(FeeCommand.Create(context));
        return command;
    }
}
