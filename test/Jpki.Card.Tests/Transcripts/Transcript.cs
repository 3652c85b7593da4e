using System.Globalization;
using System.Text;

namespace Jpki.Card.Tests.Transcripts;

/// <summary>
/// A golden APDU transcript: one command (<c>&gt;</c>) or answer (<c>&lt;</c>) per line, in hex, with <c>#</c> comments that
/// name the client and the source lines that send each command. An answer is either exact (data bytes then SW1 SW2) or
/// <c>[n] SW1 SW2</c> when the data differs from card to card (certificates, keys, signatures, random challenges): then only
/// its length must match. See <c>Transcripts/README.md</c>.
/// </summary>
internal sealed class Transcript
{
    public required string Name { get; init; }

    public required List<string> Header { get; init; }

    public required List<Exchange> Exchanges { get; init; }

    public static Transcript Parse(string name, string text)
    {
        var header = new List<string>();
        var exchanges = new List<Exchange>();
        byte[]? command = null;
        string? note = null;
        var commandLine = 0;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var body = (hash >= 0 ? line[..hash] : line).Trim();
            var comment = hash >= 0 ? line[(hash + 1)..].Trim() : null;
            if (body.Length == 0)
            {
                if (comment is not null && exchanges.Count == 0 && command is null)
                {
                    header.Add(comment);
                }

                continue;
            }

            if (body.StartsWith('>'))
            {
                if (command is not null)
                {
                    throw new FormatException($"{name}:{number}: a command follows a command without an answer.");
                }

                command = Hex(body[1..]);
                note = comment;
                commandLine = number;
            }
            else if (body.StartsWith('<'))
            {
                if (command is null)
                {
                    throw new FormatException($"{name}:{number}: an answer without a command.");
                }

                exchanges.Add(new Exchange(command, ParseAnswer(name, number, body[1..].Trim()), note, commandLine));
                command = null;
            }
            else
            {
                throw new FormatException($"{name}:{number}: lines start with >, < or #.");
            }
        }

        return command is null
            ? new Transcript { Name = name, Header = header, Exchanges = exchanges }
            : throw new FormatException($"{name}: the last command has no answer.");
    }

    public string Format()
    {
        var text = new StringBuilder();
        foreach (var line in Header)
        {
            text.Append("# ").Append(line).Append('\n');
        }

        foreach (var exchange in Exchanges)
        {
            text.Append("> ").Append(Spaced(exchange.Command));
            if (exchange.Note is not null)
            {
                text.Append("  # ").Append(exchange.Note);
            }

            text.Append("\n< ").Append(exchange.Answer.Format()).Append('\n');
        }

        return text.ToString();
    }

    public static string Spaced(ReadOnlySpan<byte> bytes)
    {
        var hex = Convert.ToHexString(bytes);
        var text = new StringBuilder(hex.Length * 3 / 2);
        for (var i = 0; i < hex.Length; i += 2)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(hex, i, 2);
        }

        return text.ToString();
    }

    private static Answer ParseAnswer(string name, int number, string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            var length = int.Parse(text.AsSpan(1, close - 1), CultureInfo.InvariantCulture);
            var sw = Hex(text[(close + 1)..]);
            return sw.Length == 2 ? new Answer(null, length, sw) : throw new FormatException($"{name}:{number}: [n] is followed by SW1 SW2.");
        }

        var bytes = Hex(text);
        return bytes.Length >= 2 ? new Answer(bytes[..^2], bytes.Length - 2, bytes[^2..]) : throw new FormatException($"{name}:{number}: an answer ends with SW1 SW2.");
    }

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>One command and its expected answer.</summary>
    internal sealed record Exchange(byte[] Command, Answer Answer, string? Note, int Line);

    /// <summary>The expected answer: exact data (or null = any data of <paramref name="Length"/> bytes) and the status word.</summary>
    internal sealed record Answer(byte[]? Data, int Length, byte[] Sw)
    {
        public string Format() => Data is null ? $"[{Length}] {Spaced(Sw)}" : Spaced([.. Data, .. Sw]);

        /// <summary>Null when <paramref name="response"/> matches, else what differs.</summary>
        public string? Mismatch(byte[] response)
        {
            var sw = response[^2..];
            var data = response[..^2];
            if (!sw.AsSpan().SequenceEqual(Sw))
            {
                return $"SW {Spaced(sw)}, expected {Spaced(Sw)}";
            }

            if (data.Length != Length)
            {
                return $"{data.Length} data bytes, expected {Length}";
            }

            return Data is not null && !Data.AsSpan().SequenceEqual(data) ? $"data {Spaced(data)}, expected {Spaced(Data)}" : null;
        }
    }
}
