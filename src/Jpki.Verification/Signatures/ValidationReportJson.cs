using System.Text.Encodings.Web;
using System.Text.Json;

namespace Jpki.Verification.Signatures;

/// <summary>The JSON form of a <see cref="ValidationReport"/>: camelCase names, ETSI spellings of indications (<c>TOTAL-PASSED</c>, <c>HASH_FAILURE</c>), ISO 8601 times, Japanese text unescaped.</summary>
public static class ValidationReportJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The report as indented JSON.</summary>
    public static string Serialize(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options);
    }
}
