using System.CommandLine;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter cards</c>: the cards the counter can open.</summary>
internal static class CounterCardsCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CounterCommand.Common();
        var command = new Command("cards", "List the cards available to the counter: virtual card files in <data>/cards and PC/SC readers with a card.");
        common.AddTo(command);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            var slots = await runtime.Cards.ListAsync(ct).ConfigureAwait(false);
            return CommandResult.Write(context, json, new { cards = slots }, w =>
            {
                foreach (var s in slots)
                {
                    w.WriteLine($"{s.Id}  ({s.Source}){(s.CardNumber is null ? "" : "  card " + s.CardNumber)}");
                }

                w.WriteLine($"{slots.Count} card(s).");
            });
        }, ct));
        return command;
    }
}
