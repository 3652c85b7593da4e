using System.CommandLine;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card</c>: virtual cards, inserting them into pcscd, and the host-side card client.</summary>
internal static class CardCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "card",
            "My Number cards: create and insert virtual cards (vpcd), list readers, read certificates, change PINs and sign. " +
            "Client commands take --card <file> (virtual card, in-process) or --reader <name> (PC/SC).");
        command.Subcommands.Add(CardNewCommand.Create(context));
        command.Subcommands.Add(CardDevIssueCommand.Create(context));
        command.Subcommands.Add(CardInsertCommand.Create(context));
        command.Subcommands.Add(CardReadersCommand.Create(context));
        command.Subcommands.Add(CardInfoCommand.Create(context));
        command.Subcommands.Add(CardReadCertCommand.Create(context));
        command.Subcommands.Add(CardChangePinCommand.Create(context));
        command.Subcommands.Add(CardSignCommand.Create(context));
        return command;
    }
}
