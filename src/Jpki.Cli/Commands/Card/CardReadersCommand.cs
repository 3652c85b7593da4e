using System.CommandLine;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card readers</c>: the PC/SC readers and whether a card is in each (never connecting to a card).</summary>
internal static class CardReadersCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "readers",
            "List the PC/SC readers (pcsc-lite's pcscd on Linux, the smart card service on Windows and macOS) and whether a card is in each, " +
            "with its ATR. Looking does not connect to the cards, so it never disturbs another application using one.");
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            try
            {
                var readers = PcscReaders.GetStatus();
                var payload = readers.Select(r => new
                {
                    name = r.Reader,
                    card = r.CardPresent,
                    inUse = r.InUse,
                    exclusive = r.Exclusive,
                    atr = r.CardPresent ? Convert.ToHexString(r.Atr.Span) : null,
                }).ToList();
                return CommandResult.Write(context, json, new { pcsc = PcscReaders.Platform.ToString(), readers = payload }, w =>
                {
                    if (readers.Count == 0)
                    {
                        w.WriteLine("No readers.");
                    }

                    foreach (var reader in payload)
                    {
                        var card = reader.card ? $"card {reader.atr}{(reader.exclusive ? ", held exclusively by another application" : reader.inUse ? ", in use" : "")}" : "no card";
                        w.WriteLine($"{reader.name}: {card}");
                    }
                });
            }
            catch (CardTransportException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
        });
        return command;
    }
}
