using System.Text.Json;

namespace Jpki.Cli.Tests.Commands.Rules;

/// <summary>Reads the JSON a command wrote on stdout.</summary>
internal static class JsonOutput
{
    public static JsonElement Parse(string stdout)
    {
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    public static string? Str(this JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
