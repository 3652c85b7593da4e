using System.CommandLine;
using Jpki.Municipality.Issuance;

namespace Jpki.Cli.Commands.Counter;

/// <summary>
/// PINs for counter commands: each from an environment variable (<c>--X-env VAR</c>) or, when not given so, the next
/// line of standard input — in the order the command's help lists. Never from the command line; never echoed.
/// </summary>
internal sealed class CounterSecrets
{
    private readonly List<(string Name, string What, Option<string> Env)> _secrets = [];

    public Option<string> Add(string name, string what)
    {
        var option = new Option<string>($"--{name}-env") { Description = $"Environment variable holding the {what}; without it, the {what} is read from the next line of standard input." };
        _secrets.Add((name, what, option));
        return option;
    }

    public void AddTo(Command command)
    {
        foreach (var (_, _, env) in _secrets)
        {
            command.Options.Add(env);
        }
    }

    public string Order => string.Join(", ", _secrets.Select(s => s.What));

    /// <summary>
    /// The secrets an issuance needs for <paramref name="only"/> (<c>sign</c>, <c>auth</c> or null for both): always the
    /// card PIN, the signature password unless only auth, the auth PIN unless only sign.
    /// </summary>
    public static (bool IncludeSign, bool IncludeAuth, IReadOnlySet<string> Wanted) ForIssuance(string? only)
    {
        var includeSign = only != "auth";
        var includeAuth = only != "sign";
        var wanted = new HashSet<string>(StringComparer.Ordinal) { "card-pin" };
        if (includeSign)
        {
            wanted.Add("sign-password");
        }

        if (includeAuth)
        {
            wanted.Add("auth-pin");
        }

        return (includeSign, includeAuth, wanted);
    }

    /// <summary>Reads the secrets named in <paramref name="wanted"/> (others are null), or returns an error.</summary>
    public (Dictionary<string, SecretPin>? Pins, string? Error) Read(ParseResult parse, CliContext context, IReadOnlySet<string> wanted)
    {
        var pins = new Dictionary<string, SecretPin>(StringComparer.Ordinal);
        foreach (var (name, what, env) in _secrets)
        {
            if (!wanted.Contains(name))
            {
                continue;
            }

            string? value;
            if (parse.GetValue(env) is { } variable)
            {
                value = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(value))
                {
                    Dispose(pins);
                    return (null, $"The environment variable {variable} (the {what}) is not set.");
                }
            }
            else
            {
                value = context.Stdin.ReadLine();
                if (string.IsNullOrEmpty(value))
                {
                    Dispose(pins);
                    return (null, $"The {what} was expected on standard input (one per line: {Order}) or in --{name}-env.");
                }
            }

            pins[name] = SecretPin.From(value);
        }

        return (pins, null);
    }

    public static void Dispose(Dictionary<string, SecretPin>? pins)
    {
        foreach (var pin in pins?.Values ?? Enumerable.Empty<SecretPin>())
        {
            pin.Dispose();
        }
    }
}
