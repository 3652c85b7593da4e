using System.CommandLine;
using System.Globalization;
using Jpki.Cli.Output;
using Jpki.Core.Charset;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules charset</c>: maps a name or address to the JPKI character set (JIS X 0208 + JIS X 0212).</summary>
internal static class CharsetCommand
{
    internal static Command Create(CliContext context)
    {
        var text = new Argument<string>("text")
        {
            Description = "The name or address, e.g. \"髙橋　﨑子\".",
        };
        var choose = new Option<string[]>("--choose")
        {
            Description = "Use another substitute at a position (character index in the normalised input): POSITION=TEXT, e.g. 0=埼, or the kana reading of a character without substitute. Repeatable.",
        };
        var command = new Command(
            "charset",
            "Map a name or address to the certificate character set (JIS X 0208 levels 1-2 + JIS X 0212): the mapped text, the substitution flags " +
            "(otherName .5.5.2 / .5.5.6, one digit per character, 1 = 代替文字), each substitution with its candidates, and characters without substitute. " +
            "Half-width ASCII and kana become full-width without a flag. Exit 0 when every character maps, 1 when some character has no substitute " +
            "(give its kana with --choose), 2 on bad input.");
        command.Arguments.Add(text);
        command.Options.Add(choose);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var input = parse.GetValue(text) ?? string.Empty;
            if (string.IsNullOrWhiteSpace(input))
            {
                return CommandResult.BadInput(context, json, "The text is empty: give a name or an address.");
            }

            var choices = new Dictionary<int, string>();
            foreach (var item in parse.GetValue(choose) ?? [])
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !int.TryParse(item.AsSpan(0, eq), NumberStyles.None, CultureInfo.InvariantCulture, out var position) || !choices.TryAdd(position, item[(eq + 1)..]))
                {
                    return CommandResult.BadInput(context, json, $"--choose takes POSITION=TEXT with a distinct position, e.g. 0=埼; got '{item}'.");
                }
            }

            CharsetMapping mapping;
            try
            {
                mapping = JpkiCharset.Map(input, choices);
            }
            catch (ArgumentException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            var payload = new
            {
                input,
                text = mapping.Text,
                flags = mapping.Flags,
                complete = mapping.IsComplete,
                substitutions = mapping.Substitutions.Select(s => new
                {
                    s.InputIndex,
                    s.OutputIndex,
                    s.Original,
                    codePoint = CodePoints(s.Original),
                    s.Chosen,
                    s.ChosenByCaller,
                    candidates = s.Candidates.Select(c => new { c.Text, c.Kind, c.Via }),
                }),
                unmappable = mapping.Unmappable.Select(u => new { u.InputIndex, u.OutputIndex, u.Character, codePoint = CodePoints(u.Character) }),
                sources = JpkiCharset.DataSources,
            };
            return CommandResult.Write(context, json, payload, writer => WriteHuman(writer, mapping), mapping.IsComplete ? ExitCodes.Ok : ExitCodes.Negative);
        });
        return command;
    }

    private static void WriteHuman(TextWriter writer, CharsetMapping mapping)
    {
        writer.WriteLine($"Text:  {mapping.Text}");
        writer.WriteLine($"Flags: {mapping.Flags}");
        if (mapping.Substitutions.Count == 0 && mapping.Unmappable.Count == 0)
        {
            writer.WriteLine("Every character is in JIS X 0208 / JIS X 0212: no substitute needed.");
        }

        foreach (var s in mapping.Substitutions)
        {
            var how = s.ChosenByCaller ? "chosen" : s.Candidates[0].Kind.ToString();
            var others = string.Join(" ", s.Candidates.Select(c => c.Via is null ? $"{c.Text}({c.Kind})" : $"{c.Text}({c.Kind} via {c.Via})"));
            writer.WriteLine($"  [{s.InputIndex}] {s.Original} {CodePoints(s.Original)} → {s.Chosen} ({how}); candidates: {(others.Length == 0 ? "none" : others)}");
        }

        foreach (var u in mapping.Unmappable)
        {
            writer.WriteLine($"  [{u.InputIndex}] {u.Character} {CodePoints(u.Character)}: no substitute; JPKI uses kana — give the reading with --choose {u.InputIndex}=<kana>");
        }
    }

    private static string CodePoints(string text) => string.Join(" ", text.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));
}
