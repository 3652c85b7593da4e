using System.CommandLine;
using System.Text;
using Jpki.Core.Pins;

namespace Jpki.Cli.Commands.Card;

/// <summary>
/// Where a PIN comes from: a no-echo prompt (default), an environment variable (<c>--pin-env</c>), a file
/// (<c>--pin-file</c>, first line), or — discouraged, with a warning — the command line (<c>--pin</c>). PINs are never
/// echoed, logged or written to output.
/// </summary>
internal sealed class PinInput
{
    private readonly string _what;

    public PinInput(string prefix, string what)
    {
        _what = what;
        Env = new Option<string>($"--{prefix}-env") { Description = $"Read the {what} from this environment variable." };
        File = new Option<FileInfo>($"--{prefix}-file") { Description = $"Read the {what} from the first line of this file." };
        Value = new Option<string>($"--{prefix}") { Description = $"The {what} itself (visible to other users in the process list: prefer the prompt, --{prefix}-env or --{prefix}-file)." };
    }

    public Option<string> Env { get; }

    public Option<FileInfo> File { get; }

    public Option<string> Value { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Value);
        command.Options.Add(Env);
        command.Options.Add(File);
    }

    /// <summary>True when the PIN was given by one of the options (rather than left to the prompt).</summary>
    public bool IsGiven(ParseResult parse) =>
        parse.GetValue(Value) is not null || parse.GetValue(Env) is not null || parse.GetValue(File) is not null;

    /// <summary>The PIN, or null with an error sentence.</summary>
    public (char[]? Pin, string? Error) Read(ParseResult parse, CliContext context, string prompt)
    {
        if (parse.GetValue(Value) is { } literal)
        {
            context.Stderr.WriteLine($"warning: the {_what} was given on the command line, where other users can see it; use the prompt, an environment variable or a file.");
            return (literal.ToCharArray(), null);
        }

        if (parse.GetValue(Env) is { } variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrEmpty(value) ? (null, $"The environment variable {variable} is not set.") : (value.ToCharArray(), null);
        }

        if (parse.GetValue(File) is { } file)
        {
            try
            {
                using var reader = file.OpenText();
                var line = reader.ReadLine();
                return string.IsNullOrEmpty(line) ? (null, $"{file.Name} is empty.") : (line.ToCharArray(), null);
            }
            catch (IOException e)
            {
                return (null, $"Cannot read {file.Name}: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                return (null, $"Cannot read {file.Name}: {e.Message}");
            }
        }

        return (Prompt(context, prompt), null);
    }

    /// <summary>
    /// The PIN, checked against the rules of <paramref name="kind"/> before it goes near the card (an empty or
    /// 17-character PIN is bad usage, not a wrong PIN: no try is spent); or null with an error sentence that never
    /// contains the PIN.
    /// </summary>
    public (char[]? Pin, string? Error) Read(ParseResult parse, CliContext context, string prompt, PinKind kind)
    {
        var (pin, error) = Read(parse, context, prompt);
        if (pin is null)
        {
            return (null, error);
        }

        var format = PinPolicy.For(kind).CheckFormat(pin);
        if (!format.IsAllowed)
        {
            Array.Clear(pin);
            return (null, format.Message);
        }

        return (pin, null);
    }

    private static char[] Prompt(CliContext context, string prompt)
    {
        context.Stderr.Write(prompt);
        if (Console.IsInputRedirected)
        {
            return (Console.In.ReadLine() ?? "").ToCharArray();
        }

        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        context.Stderr.WriteLine();
        var pin = new char[typed.Length];
        typed.CopyTo(0, pin, pin.Length);
        typed.Clear();
        return pin;
    }
}
