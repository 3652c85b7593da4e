using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Jpki.Cli.Output;
using Jpki.Core.Office;
using Jpki.Core.Time;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules office</c>: whether a municipal counter accepts JPKI applications at an instant.</summary>
internal static partial class OfficeCommand
{
    internal static Command Create(CliContext context)
    {
        var at = new Option<string>("--at")
        {
            Description = "The instant, ISO-8601, e.g. 2026-12-29T09:00+09:00 (without an offset: JST). Default: now.",
        };
        var opens = new Option<string>("--opens") { Description = "Opening time HH:mm (inclusive). Default 08:30." };
        var closes = new Option<string>("--closes") { Description = "Closing time HH:mm (exclusive). Default 17:00." };
        var openDates = new Option<string[]>("--open-date") { Description = "An extra open date yyyy-MM-dd, e.g. a Sunday opening. Repeatable." };
        var closedDates = new Option<string[]>("--closed-date") { Description = "An extra closed date yyyy-MM-dd. Repeatable." };
        var command = new Command(
            "office",
            "Is the municipal counter accepting applications? Default hours 08:30-17:00 JST, closed Saturdays, Sundays, national holidays " +
            "(incl. 振替休日 and 国民の休日) and 29 Dec-3 Jan. Exit 0 open, 1 closed (with the next opening), 2 bad input.");
        command.Options.Add(at);
        command.Options.Add(opens);
        command.Options.Add(closes);
        command.Options.Add(openDates);
        command.Options.Add(closedDates);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var atText = parse.GetValue(at);
            DateTimeOffset instant;
            if (atText is null)
            {
                instant = context.Clock.GetUtcNow();
            }
            else if (!TryParseInstant(atText, out instant))
            {
                return CommandResult.BadInput(context, json, $"--at must be an ISO-8601 date-time such as 2026-12-29T09:00+09:00; got '{atText}'.");
            }

            var options = OfficeHoursOptions.Default;
            try
            {
                options = options with
                {
                    Opens = ParseTime(parse.GetValue(opens), options.Opens, "--opens"),
                    Closes = ParseTime(parse.GetValue(closes), options.Closes, "--closes"),
                    ExtraOpenDates = ParseDates(parse.GetValue(openDates), "--open-date"),
                    ExtraClosedDates = ParseDates(parse.GetValue(closedDates), "--closed-date"),
                };
                var verdict = new OfficeCalendar(options).Check(instant);
                var payload = new
                {
                    at = verdict.At,
                    open = verdict.IsOpen,
                    code = verdict.Code,
                    reason = verdict.Reason,
                    holiday = verdict.HolidayName,
                    closesAt = verdict.ClosesAt,
                    nextOpening = verdict.NextOpening,
                    message = verdict.Message,
                };
                return CommandResult.Write(context, json, payload, w => w.WriteLine(verdict.Message), verdict.IsOpen ? ExitCodes.Ok : ExitCodes.Negative);
            }
            catch (FormatException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
            catch (ArgumentException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
        });
        return command;
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OffsetSuffix();

    private static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        if (OffsetSuffix().IsMatch(text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            instant = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), JapanTime.Offset);
            return true;
        }

        instant = default;
        return false;
    }

    private static TimeOnly ParseTime(string? text, TimeOnly fallback, string option) =>
        text is null ? fallback
        : TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time
        : throw new FormatException($"{option} takes HH:mm, e.g. 08:30; got '{text}'.");

    private static HashSet<DateOnly> ParseDates(string[]? texts, string option)
    {
        var dates = new HashSet<DateOnly>();
        foreach (var text in texts ?? [])
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FormatException($"{option} takes yyyy-MM-dd; got '{text}'.");
            }

            dates.Add(date);
        }

        return dates;
    }
}
