using System.CommandLine;
using Jpki.Card.Applications;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Card.Virtual;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.Card;

/// <summary>The <c>--card</c> / <c>--reader</c> pair every card-client command takes, and opening the transport.</summary>
internal sealed class CardConnection
{
    public Option<FileInfo> Card { get; } = new("--card")
    {
        Description = "A virtual card file, used in this process (it must not be inserted elsewhere at the same time).",
    };

    public Option<string> Reader { get; } = new("--reader")
    {
        Description = "A PC/SC reader name (see `jpki card readers`): a real card, or a virtual card inserted with `jpki card insert`.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Card);
        command.Options.Add(Reader);
    }

    /// <summary>Opens the transport, or returns an error sentence for bad usage. A virtual card logs its PIN events to <paramref name="logger"/>.</summary>
    public (ICardTransport? Transport, string? Error) Open(ParseResult parse, ILogger? logger = null)
    {
        var card = parse.GetValue(Card);
        var reader = parse.GetValue(Reader);
        if ((card is null) == (reader is null))
        {
            return (null, "Give exactly one of --card <file> (virtual card) or --reader <name> (PC/SC).");
        }

        try
        {
            if (card is not null)
            {
                var virtualCard = VirtualCard.Open(card.FullName, logger is null ? null : new CardOptions { Logger = logger });
                return (new InProcessTransport(virtualCard, card.Name, ownsCard: true), null);
            }

            return (PcscTransport.Connect(reader), null);
        }
        catch (VirtualCardException e)
        {
            return (null, e.Message);
        }
        catch (CardTransportException e)
        {
            return (null, e.Message);
        }
    }
}
