using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Logging;

/// <summary>
/// The log of a short-lived command (<c>jpki counter …</c>, <c>jpki card …</c>): the libraries' events on standard
/// error, at the level of <c>--log-level</c>, else of <c>$Logging__LogLevel__Default</c> (the variable <c>jpki serve</c>
/// reads through its configuration), else Information. Results stay alone on standard output.
/// </summary>
internal static class CliLogging
{
    /// <summary>The environment variable of the standard .NET configuration that <c>jpki serve</c> also honours.</summary>
    public const string LevelVariable = "Logging__LogLevel__Default";

    /// <summary><c>--log-level</c> on a command group and all its subcommands.</summary>
    public static Option<LogLevel?> LevelOption() => new("--log-level")
    {
        Description = $"Which library events to write on stderr: Trace, Debug, Information, Warning, Error, Critical or None. Default: ${LevelVariable}, else Information. Never a PIN, key or My Number.",
        Recursive = true,
    };

    /// <summary>The level given (option, then environment, then Information); a bad environment value is reported and ignored.</summary>
    public static LogLevel LevelOf(CliContext context, ParseResult parse, Option<LogLevel?> option)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(option) is { } given)
        {
            return given;
        }

        var variable = Environment.GetEnvironmentVariable(LevelVariable);
        if (string.IsNullOrWhiteSpace(variable))
        {
            return LogLevel.Information;
        }

        if (Enum.TryParse<LogLevel>(variable.Trim(), ignoreCase: true, out var level) && Enum.IsDefined(level))
        {
            return level;
        }

        context.Stderr.WriteLine($"warning: ${LevelVariable}='{variable}' is not a log level; using Information.");
        return LogLevel.Information;
    }

    /// <summary>A factory whose loggers write to the command's standard error at <paramref name="level"/>.</summary>
    public static ILoggerFactory Create(CliContext context, LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(context);
        return LoggerFactory.Create(builder => builder.ClearProviders().SetMinimumLevel(level).AddProvider(new StderrLoggerProvider(context.Stderr, level)));
    }
}
