using System.CommandLine;
using Jpki.Card.Transport.Vpcd;
using Jpki.Card.Applications;
using Jpki.Card.Virtual;
using Jpki.Cli.Logging;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card insert</c>: connects a virtual card to pcscd's vpcd reader until Ctrl+C.</summary>
internal static class CardInsertCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("card-file") { Description = "The virtual card file." };
        var port = new Option<int>("--vpcd-port") { Description = "vpcd's TCP port (35963 = first slot of Debian's default reader.conf).", DefaultValueFactory = _ => VpcdCardConnector.DefaultPort };
        var host = new Option<string>("--vpcd-host") { Description = "vpcd's address.", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("insert", "Insert a virtual card into pcscd through vpcd (apt-get install pcscd vsmartcard-vpcd), so that every PC/SC program sees it. Runs until Ctrl+C.");
        command.Arguments.Add(file);
        command.Options.Add(port);
        command.Options.Add(host);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            VirtualCard card;
            // Wrong PINs and lock-outs by any PC/SC program using the inserted card appear here (events 2101-2106).
            using var loggers = CliLogging.Create(context, CliLogging.LevelOf(context, parse, CardCommand.LogLevelOption));
            try
            {
                card = VirtualCard.Open(parse.GetValue(file)!.FullName, new CardOptions { Logger = loggers.CreateLogger("Jpki.Card") });
            }
            catch (VirtualCardException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            using (card)
            {
                var connector = new VpcdCardConnector(card, parse.GetValue(host)!, parse.GetValue(port))
                {
                    ConnectionChanged = connected => context.Stderr.WriteLine(connected
                        ? $"Card {card.CardNumber} inserted (connected to vpcd at {parse.GetValue(host)}:{parse.GetValue(port)})."
                        : "Connection to vpcd lost; reconnecting…"),
                };
                context.Stderr.WriteLine($"Inserting card {card.CardNumber}; waiting for vpcd. Ctrl+C removes it.");
                await connector.RunAsync(cancellationToken).ConfigureAwait(false);
                context.Stderr.WriteLine("Card removed.");
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
