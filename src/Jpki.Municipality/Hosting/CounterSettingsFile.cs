using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jpki.Core.Office;

namespace Jpki.Municipality.Hosting;

/// <summary>
/// The municipality's own settings in the data folder, <c>&lt;data&gt;/counter.json</c> (optional): the romanised names
/// for the signature certificate, the office hours and calendar of this city's counter, and the developers' sandbox
/// switch. Every key is optional; an unknown key, a wrong value or malformed JSON stops the start with a message naming
/// the file and the key (a counter must not open on settings it misread).
/// </summary>
/// <example><code>
/// {
///   "prefecture": "Tokyo-to", "municipality": "Chiyoda-ku",
///   "officeHours": { "opens": "08:30", "closes": "19:00", "closedWeekdays": ["Saturday", "Sunday"],
///                    "closedOnNationalHolidays": true, "closedForYearEnd": true,
///                    "extraClosedDates": ["2026-08-14"], "extraOpenDates": ["2026-11-29"] },
///   "sandbox": { "alwaysOpen": false }
/// }
/// </code></example>
public static class CounterSettingsFile
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "counter.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary><paramref name="options"/> with what <c>counter.json</c> of its data folder says (unchanged when there is no file).</summary>
    /// <exception cref="InvalidDataException">The file cannot be read or holds an unknown key or a wrong value (the message names both).</exception>
    public static CounterRuntimeOptions ApplyTo(CounterRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.Combine(options.DataDirectory, FileName);
        if (!File.Exists(path))
        {
            return options;
        }

        Settings settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(File.ReadAllBytes(path), Json) ?? new Settings();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        try
        {
            var result = options with
            {
                Prefecture = settings.Prefecture ?? options.Prefecture,
                Municipality = settings.Municipality ?? options.Municipality,
                OfficeHours = settings.OfficeHours is { } hours ? hours.ToOptions(options.OfficeHours) : options.OfficeHours,
                AlwaysOpen = options.AlwaysOpen || settings.Sandbox?.AlwaysOpen == true,
            };
            result.OfficeHours.Validate();
            return result;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private sealed class Settings
    {
        public string? Prefecture { get; init; }

        public string? Municipality { get; init; }

        public Hours? OfficeHours { get; init; }

        public Sandbox? Sandbox { get; init; }
    }

    private sealed class Sandbox
    {
        public bool AlwaysOpen { get; init; }
    }

    private sealed class Hours
    {
        public string? Opens { get; init; }

        public string? Closes { get; init; }

        public List<string>? ClosedWeekdays { get; init; }

        public bool? ClosedOnNationalHolidays { get; init; }

        public bool? ClosedForYearEnd { get; init; }

        public List<string>? ExtraClosedDates { get; init; }

        public List<string>? ExtraOpenDates { get; init; }

        public OfficeHoursOptions ToOptions(OfficeHoursOptions defaults) => defaults with
        {
            Opens = Opens is null ? defaults.Opens : Time("officeHours.opens", Opens),
            Closes = Closes is null ? defaults.Closes : Time("officeHours.closes", Closes),
            ClosedWeekdays = ClosedWeekdays is null ? defaults.ClosedWeekdays : ClosedWeekdays.Select(Weekday).ToHashSet(),
            ClosedOnNationalHolidays = ClosedOnNationalHolidays ?? defaults.ClosedOnNationalHolidays,
            ClosedForYearEnd = ClosedForYearEnd ?? defaults.ClosedForYearEnd,
            ExtraClosedDates = ExtraClosedDates is null ? defaults.ExtraClosedDates : ExtraClosedDates.Select(d => Date("officeHours.extraClosedDates", d)).ToHashSet(),
            ExtraOpenDates = ExtraOpenDates is null ? defaults.ExtraOpenDates : ExtraOpenDates.Select(d => Date("officeHours.extraOpenDates", d)).ToHashSet(),
        };

        private static TimeOnly Time(string key, string text) =>
            TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                ? time
                : throw new FormatException($"{key} must be a time HH:mm, not '{text}'.");

        private static DateOnly Date(string key, string text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new FormatException($"{key} must hold dates YYYY-MM-DD, not '{text}'.");

        private static DayOfWeek Weekday(string text) =>
            Enum.TryParse<DayOfWeek>(text, ignoreCase: true, out var day) && Enum.IsDefined(day) && !int.TryParse(text, out _)
                ? day
                : throw new FormatException($"officeHours.closedWeekdays holds '{text}', which is not a weekday name (Monday … Sunday).");
    }
}
