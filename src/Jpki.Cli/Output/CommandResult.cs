using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jpki.Cli.Output;

/// <summary>
/// Writes a command's result either for people (text lines) or for programs (<c>--json</c>), and returns the exit code.
/// </summary>
internal static class CommandResult
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep Japanese text readable; output is not HTML
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Writes <paramref name="payload"/> as JSON, or <paramref name="human"/> as text, and returns <paramref name="exitCode"/>.</summary>
    public static int Write(CliContext context, bool json, object payload, Action<TextWriter> human, int exitCode = ExitCodes.Ok)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (json)
        {
            context.Stdout.WriteLine(JsonSerializer.Serialize(payload, payload.GetType(), JsonOptions));
        }
        else
        {
            human(context.Stdout);
        }

        return exitCode;
    }

    /// <summary>Reports bad input (exit 2), as JSON <c>{"error":...}</c> or a line on stderr.</summary>
    public static int BadInput(CliContext context, bool json, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (json)
        {
            context.Stdout.WriteLine(JsonSerializer.Serialize(new { error = "bad-input", message }, JsonOptions));
        }
        else
        {
            context.Stderr.WriteLine($"error: {message}");
        }

        return ExitCodes.BadInput;
    }
}
