using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// Keeps every log line of every category at every level, as a structured sink would see it: the formatted message, each
/// state value (byte arrays as base64 and hex, as JSON sinks write them), the exception with its stack, and the scopes.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<(LogLevel Level, string Category, string Text)> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        byte[] bytes => Convert.ToBase64String(bytes) + " " + Convert.ToHexString(bytes),
        ReadOnlyMemory<byte> memory => Convert.ToBase64String(memory.Span) + " " + Convert.ToHexString(memory.Span),
        IEnumerable<KeyValuePair<string, object?>> pairs => string.Join(", ", pairs.Select(p => p.Key + "=" + Describe(p.Value))),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Describe)),
        _ => value.ToString() ?? string.Empty,
    };

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder().Append(formatter(state, exception)).Append(" | event=").Append(eventId.Id);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    text.Append(" | ").Append(key).Append('=').Append(Describe(value));
                }
            }

            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }

            owner._scopes.ForEachScope((scope, builder) => builder.Append(" | scope ").Append(Describe(scope)), text);
            owner._lines.Enqueue((logLevel, category, text.ToString()));
        }
    }
}
