using System.CommandLine;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Hosting;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>--card FILE</c> | <c>--reader NAME</c> | <c>--card-id ID</c>: which card is on the counter.</summary>
internal sealed class CounterCardOptions
{
    public Option<FileInfo> File { get; } = new("--card") { Description = "A virtual card file (opened in this process and locked while in use)." };

    public Option<string> Reader { get; } = new("--reader") { Description = "A PC/SC reader name with the holder's card (a real card, or a virtual one inserted through vpcd)." };

    public Option<string> Id { get; } = new("--card-id") { Description = "A card id as `jpki counter cards` lists it (file:<name> in <data>/cards, reader:<name>)." };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Reader);
        command.Options.Add(Id);
    }

    /// <summary>Checks that exactly one is given; returns an error sentence otherwise.</summary>
    public string? Validate(ParseResult parse)
    {
        var given = (parse.GetValue(File) is null ? 0 : 1) + (parse.GetValue(Reader) is null ? 0 : 1) + (parse.GetValue(Id) is null ? 0 : 1);
        return given == 1 ? null : "Give exactly one of --card <file>, --reader <name> or --card-id <id>.";
    }

    /// <exception cref="CounterCardException">The card cannot be opened.</exception>
    public async Task<CardCounterCard> OpenAsync(ParseResult parse, CounterRuntime runtime, CancellationToken cancellationToken)
    {
        if (parse.GetValue(File) is { } file)
        {
            return runtime.OpenCardFile(file.FullName);
        }

        if (parse.GetValue(Reader) is { } reader)
        {
            return await runtime.Cards.OpenAsync(PcscCardSource.Prefix + reader, cancellationToken).ConfigureAwait(false);
        }

        return await runtime.Cards.OpenAsync(parse.GetValue(Id)!, cancellationToken).ConfigureAwait(false);
    }
}
