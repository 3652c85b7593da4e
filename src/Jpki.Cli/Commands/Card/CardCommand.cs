using System.CommandLine;
using Jpki.Cli.Logging;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card</c>: virtual cards, inserting them into pcscd, and the host-side card client.</summary>
internal static class CardCommand
{
    /// <summary><c>--log-level</c> of every card command: the virtual card's events (wrong PINs, lock-outs) on stderr.</summary>
    public static readonly Option<LogLevel?> LogLevelOption = CliLogging.LevelOption();

    public static Command Create(CliContext context)
    {
        var command = new Command(
            "card",
            "My Number cards: create and insert virtual cards (vpcd), list readers, read certificates, change PINs and sign. " +
            "Client commands take --card <file> (virtual card, in-process) or --reader <name> (PC/SC).");
        command.Options.Add(LogLevelOption);
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
