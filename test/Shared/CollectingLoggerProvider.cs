using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Jpki.Testing;

/// <summary>
/// Keeps every log event a library writes (event id, level, category, formatted message and each structured value), so
/// that a test can assert that a real action logged its event and that no secret reached the log. Also a minimal
/// <see cref="ILoggerFactory"/> for APIs that take one or an <c>ILogger&lt;T&gt;</c>.
/// </summary>
public sealed class CollectingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<LoggedEvent> _events = new();

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyCollection<LoggedEvent> Events => _events;

    /// <summary>The events with id <paramref name="id"/>.</summary>
    public IReadOnlyList<LoggedEvent> Of(int id) => [.. _events.Where(e => e.Id == id)];

    /// <summary>A logger of <paramref name="categoryName"/> that collects here.</summary>
    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    /// <summary>A typed logger that collects here.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    /// <summary>Does nothing: this factory has its one provider.</summary>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value?.ToString())
                : [];
            owner._events.Enqueue(new LoggedEvent(eventId.Id, eventId.Name, logLevel, category, formatter(state, exception), values, exception));
        }
    }
}

/// <summary>One collected log event.</summary>
public sealed record LoggedEvent(int Id, string? Name, LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, string?> Values, Exception? Exception)
{
    /// <summary>The message, every value and the exception as one text, to search for what must not be there.</summary>
    public string AllText => Message + " | " + string.Join(" | ", Values.Select(v => v.Key + "=" + v.Value)) + (Exception is null ? string.Empty : " | " + Exception);
}
