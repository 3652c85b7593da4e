using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jpki.Authority.Contracts.Wire;

/// <summary>
/// The System.Text.Json source-generated metadata of the wire shapes (web defaults: camelCase, case-insensitive
/// reading). The authority API and its clients serialise with it, so both sides read one definition.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IssueBody))]
[JsonSerializable(typeof(RevokeBody))]
[JsonSerializable(typeof(CertificateView))]
[JsonSerializable(typeof(List<CertificateView>))]
[JsonSerializable(typeof(RevocationView))]
public sealed partial class AuthorityJsonContext : JsonSerializerContext;
