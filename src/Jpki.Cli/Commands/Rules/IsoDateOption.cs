using System.CommandLine;
using System.Globalization;
using Jpki.Core.Time;

namespace Jpki.Cli.Commands.Rules;

/// <summary>
/// Date options written as ISO-8601 calendar dates (<c>YYYY-MM-DD</c>, ASCII digits only), parsed strictly in the
/// command's action so that a bad date becomes exit 2 with a message naming the option, in text or JSON.
/// </summary>
internal static class IsoDateOption
{
    /// <summary>A date option; <paramref name="required"/> ones are enforced by the parser (exit 2 when missing).</summary>
    public static Option<string> Create(string name, string description, bool required) => new(name)
    {
        Description = description,
        Required = required,
        HelpName = "YYYY-MM-DD",
    };

    /// <summary>Reads <paramref name="option"/>: null when absent; false with a message when not a valid date.</summary>
    public static bool TryGet(ParseResult parse, Option<string> option, out DateOnly? date, out string error)
    {
        date = null;
        error = string.Empty;
        var text = parse.GetValue(option);
        if (text is null)
        {
            return true;
        }

        if (!TryParse(text, out var parsed))
        {
            error = $"{option.Name}: '{text}' is not a date; write it as YYYY-MM-DD, e.g. 1980-02-17.";
            return false;
        }

        date = parsed;
        return true;
    }

    /// <summary>Reads <paramref name="option"/>, or today's Japan date from the context's clock when it is absent.</summary>
    public static bool TryGetOrToday(ParseResult parse, Option<string> option, CliContext context, out DateOnly date, out string error)
    {
        var ok = TryGet(parse, option, out var value, out error);
        date = value ?? JapanTime.Today(context.Clock);
        return ok;
    }

    /// <summary>Strict <c>YYYY-MM-DD</c>: exactly ten characters, ASCII digits, a real calendar date.</summary>
    public static bool TryParse(string text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (i is not (4 or 7) && !char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
