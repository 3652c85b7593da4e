using System.Text.Json;
using System.Text.Json.Serialization;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;

namespace Jpki.Server;

/// <summary>
/// The JSON answer of <c>GET /linkage/{serial}</c> (JPKI-REFERENCE §8.3): the certificate asked about, the current one
/// of its renewal chain (the newest successor, or itself), the whole chain around it, and the same holder's
/// certificates of the other kind (sign ↔ auth). Serials are uppercase hex without leading zero octets.
/// </summary>
internal sealed record LinkageAnswer(
    string Serial,
    string Kind,
    string Current,
    IReadOnlyList<string> Predecessors,
    IReadOnlyList<string> Successors,
    IReadOnlyList<string> OtherKind)
{
    public static LinkageAnswer From(CertificateLinkage linkage, CertificateRecord record) => new(
        linkage.SerialHex,
        IssuingCa.SlugOf(record.Kind),
        linkage.Successors.Count > 0 ? linkage.Successors[^1] : linkage.SerialHex,
        linkage.Predecessors,
        linkage.Successors,
        linkage.OtherKind);
}

/// <summary>Source-generated JSON for <see cref="LinkageAnswer"/> (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LinkageAnswer))]
internal sealed partial class LinkageAnswerContext : JsonSerializerContext;
