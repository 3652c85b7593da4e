using System.CommandLine;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card readers</c>: the PC/SC readers pcscd knows.</summary>
internal static class CardReadersCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("readers", "List the PC/SC readers (needs pcscd running).");
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            try
            {
                var readers = PcscTransport.ListReaders();
                return CommandResult.Write(context, json, new { readers }, w =>
                {
                    if (readers.Count == 0)
                    {
                        w.WriteLine("No readers.");
                    }

                    foreach (var reader in readers)
                    {
                        w.WriteLine(reader);
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
