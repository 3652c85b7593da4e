using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jpki.Authority.Backup;

/// <summary>What a backup holds (its first tar entry, <c>manifest.json</c>).</summary>
/// <param name="Version">The backup format (1).</param>
/// <param name="CreatedAt">When the snapshot was taken (the restore's CRL step counts from here).</param>
/// <param name="AuditHead">The registry's audit head at the snapshot (SEQ:SHA256HEX), or null for an empty log.</param>
/// <param name="CrlNumbers">The last CRL number of each CA (<c>sign</c>, <c>auth</c>) at the snapshot.</param>
/// <param name="Files">Every file, relative to the data folder, with its SHA-256 and length.</param>
public sealed record BackupManifest(int Version, DateTimeOffset CreatedAt, string? AuditHead, IReadOnlyDictionary<string, long> CrlNumbers, IReadOnlyList<BackupFile> Files);

/// <summary>One file of a backup.</summary>
/// <param name="Path">Relative to the data folder, '/'-separated.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its content.</param>
/// <param name="Length">Bytes.</param>
public sealed record BackupFile(string Path, string Sha256, long Length);

/// <summary>How to restore.</summary>
public sealed record RestoreOptions
{
    /// <summary>Move an existing, non-empty target aside (<c>&lt;folder&gt;.replaced-&lt;time&gt;</c>) instead of refusing.</summary>
    public bool Replace { get; init; }

    /// <summary>The highest CRL number known to be published (e.g. read off the CRL relying parties download); 0 when unknown.</summary>
    public long PublishedCrlNumber { get; init; }

    /// <summary>
    /// Revocations read off CRLs the lost folder published (serial in hex, time, reason). Each one the restored registry
    /// holds unrevoked is revoked again (audited, actor <see cref="Actor"/>): a revocation made after the backup must not
    /// be undone by the restore.
    /// </summary>
    public IReadOnlyList<(string SerialHex, DateTimeOffset RevokedAt, Contracts.RevocationReason Reason)> PublishedRevocations { get; init; } = [];

    /// <summary>Who restores, for the audit entry.</summary>
    public string Actor { get; init; } = "system";
}

/// <summary>What a restore did.</summary>
/// <param name="Manifest">The backup's manifest.</param>
/// <param name="NextCrlNumber">The number the next CRL of either CA gets.</param>
/// <param name="AuditHead">The audit head after the <c>authority.restore</c> entry.</param>
/// <param name="MovedAside">Where the replaced folder went, or null.</param>
/// <param name="Reapplied">Revocations from the published CRLs that the backup did not have, revoked again.</param>
public sealed record RestoreResult(BackupManifest Manifest, long NextCrlNumber, string? AuditHead, string? MovedAside, int Reapplied);

internal static class BackupJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
