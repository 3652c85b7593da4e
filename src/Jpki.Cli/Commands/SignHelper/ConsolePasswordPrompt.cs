using System.Text;

namespace Jpki.Cli.Commands.SignHelper;

/// <summary>
/// The helper's console: without echo on a terminal, one line of <see cref="CliContext.Stdin"/> when input is
/// redirected (tests and scripts feed it that way). Never the HTTP request.
/// </summary>
internal sealed class ConsolePasswordPrompt(CliContext context) : IPasswordPrompt
{
    private readonly Lock _gate = new();

    public char[]? ReadPassword(string prompt)
    {
        lock (_gate)
        {
            context.Stderr.Write(prompt);
            context.Stderr.Flush();
            if (!ReferenceEquals(context.Stdin, Console.In) || Console.IsInputRedirected)
            {
                return context.Stdin.ReadLine()?.ToCharArray();
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
                    typed.Length = Math.Max(0, typed.Length - 1);
                    continue;
                }

                if (!char.IsControl(key.KeyChar))
                {
                    typed.Append(key.KeyChar);
                }
            }

            context.Stderr.WriteLine();
            var password = new char[typed.Length];
            typed.CopyTo(0, password, password.Length);
            typed.Clear();
            return password;
        }
    }
}
