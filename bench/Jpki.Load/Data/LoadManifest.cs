using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jpki.Load.Data;

/// <summary>
/// <c>&lt;data&gt;/load/manifest.json</c>, written by <c>jpki-load prepare</c>: what the data folder holds and what each
/// answer must be — the certificates with their expected status, the staff account, the virtual cards, and the
/// CMS signatures with their expected verdicts. Test environment only: the staff password and PINs are in it.
/// </summary>
internal sealed record LoadManifest
{
    public const string FolderName = "load";
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public required DateTimeOffset PreparedAt { get; init; }

    /// <summary>The signature CA certificate, DER.</summary>
    public required byte[] SignCa { get; init; }

    /// <summary>The authentication CA certificate, DER.</summary>
    public required byte[] AuthCa { get; init; }

    public required IReadOnlyList<PreparedCertificate> Certificates { get; init; }

    public required string StaffId { get; init; }

    public required string StaffPassword { get; init; }

    public required string CardPin { get; init; }

    public required string SignaturePassword { get; init; }

    public required string AuthenticationPin { get; init; }

    public required IReadOnlyList<PreparedCard> Cards { get; init; }

    public required IReadOnlyList<PreparedSignature> Signatures { get; init; }

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FolderName, FileName);

    public static async Task<LoadManifest?> ReadAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<LoadManifest>(file, Json, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(dataDirectory, FolderName));
        await using var file = File.Create(PathIn(dataDirectory));
        await JsonSerializer.SerializeAsync(file, this, Json, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>An issued certificate: kind (<c>sign</c>/<c>auth</c>), serial (hex) and whether it was revoked.</summary>
internal sealed record PreparedCertificate(string Kind, string Serial, bool Revoked);

/// <summary>A resident with a delivered, not yet issued virtual card (slot as the counter API names it).</summary>
internal sealed record PreparedCard(string ResidentId, string Slot);

/// <summary>An attached CMS signature file (relative to the load folder) and the verdict it must get: <c>valid</c> or <c>revoked</c>.</summary>
internal sealed record PreparedSignature(string File, string Expected);
