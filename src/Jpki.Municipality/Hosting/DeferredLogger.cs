using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Municipality.Hosting;

/// <summary>
/// A logger whose target is set after the services holding it exist: a host opens the counter runtime before its own
/// logging is built (<see cref="CounterRuntime.UseLogging"/>). Until then it logs nowhere.
/// </summary>
internal sealed class DeferredLogger : ILogger
{
    private volatile ILogger _target = NullLogger.Instance;

    public void Use(ILogger target) => _target = target ?? throw new ArgumentNullException(nameof(target));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _target.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _target.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _target.Log(logLevel, eventId, state, exception, formatter);
}
