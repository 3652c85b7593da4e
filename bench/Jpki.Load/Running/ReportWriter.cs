using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Jpki.Load.Running;

/// <summary>The report as a table for people, or as JSON (camelCase) for scripts.</summary>
internal static class ReportWriter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(LoadReport report) => JsonSerializer.Serialize(report, Json);

    public static void WriteHuman(TextWriter output, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"jpki-load {report.Scenario} → {report.Url}"));
        output.WriteLine(string.Create(c, $"  concurrency {report.Concurrency}, rate {(report.Rate > 0 ? report.Rate.ToString("N0", c) + "/s" : "unpaced")}, {report.ElapsedSeconds:F1} s measured (target {report.DurationSeconds:F0} s, stopped by {report.StoppedBy})"));
        foreach (var note in report.Notes)
        {
            output.WriteLine($"  {note.Key}: {note.Value}");
        }

        output.WriteLine();
        output.WriteLine("| requests | ok | errors | ok/s | MB/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        output.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var l = report.Latency;
        output.WriteLine(string.Create(c, $"| {report.Requests:N0} | {report.Succeeded:N0} | {report.Errors:N0} | {report.Throughput:N1} | {report.BytesPerSecond / 1e6:F2} | {l.P50:F2} | {l.P90:F2} | {l.P99:F2} | {l.P999:F2} | {l.Max:F2} |"));
        if (report.Tags.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("  requests by kind: " + string.Join(", ", report.Tags.Select(t => string.Create(c, $"{t.Key} {t.Value:N0}"))));
        }

        output.WriteLine(report.Errors == 0 ? "  errors: none" : "  errors: " + string.Join("; ", report.ErrorsByKind.Select(e => string.Create(c, $"{e.Key} ×{e.Value:N0}"))));
    }
}
