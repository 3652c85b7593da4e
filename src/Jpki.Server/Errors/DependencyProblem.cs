using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jpki.Server.Errors;

/// <summary>The RFC 9457 problem body of a dependency failure, with the dependency's name and the retry delay.</summary>
internal sealed record DependencyProblem(string Type, string Title, int Status, string Detail, string Code, string Dependency, int RetryAfter);

/// <summary>Source-generated JSON for <see cref="DependencyProblem"/> (camelCase, as the rest of the API).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DependencyProblem))]
internal sealed partial class DependencyProblemContext : JsonSerializerContext;
