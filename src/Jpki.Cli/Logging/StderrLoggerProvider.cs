using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Logging;

/// <summary>
/// Writes each log event as one line on the command's standard error — <c>info: Jpki.Municipality.Counter[3110] …</c>,
/// the shape of the console logger of <c>jpki serve</c> — synchronously, so nothing is lost when a short command exits.
/// An exception is named by its type and message only (no stack trace: stderr is read by people at the desk).
/// </summary>
internal sealed class StderrLoggerProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly TextWriter _stderr;
    private readonly LogLevel _minimum;

    public StderrLoggerProvider(TextWriter stderr, LogLevel minimum)
    {
        _stderr = stderr;
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    public void Dispose() => _stderr.Flush();

    private static string Abbreviation(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private sealed class Writer(StderrLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{Abbreviation(logLevel)}: {category}[{eventId.Id}] {formatter(state, exception)}"
                + (exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})");
            lock (owner._gate)
            {
                owner._stderr.WriteLine(line);
            }
        }
    }
}
