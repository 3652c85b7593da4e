using System.Globalization;

namespace Jpki.Load.Running;

/// <summary>Durations on the command line: <c>500ms</c>, <c>60s</c>, <c>2m</c>, <c>1h</c>, or plain seconds.</summary>
internal static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || double.IsInfinity(n) || n * scale > 86_400)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(n * scale);
        return true;
    }
}
