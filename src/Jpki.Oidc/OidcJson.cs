using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jpki.Oidc;

/// <summary>The answer of the nonce endpoints.</summary>
internal sealed record NonceAnswer(string Nonce, DateTimeOffset ExpiresAt);

/// <summary>The answer of the card steps: ok, or a machine code and a Japanese sentence.</summary>
internal sealed record CardAnswer(bool Ok, string Code, string Message);

/// <summary>Source-generated JSON (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NonceAnswer))]
[JsonSerializable(typeof(CardAnswer))]
internal sealed partial class OidcJson : JsonSerializerContext;
