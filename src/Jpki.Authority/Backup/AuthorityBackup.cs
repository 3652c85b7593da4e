using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Jpki.Authority.Audit;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Jpki.Authority.Backup;

/// <summary>
/// Backup and restore of an embedded data folder (SQLite databases and key files; docs/operations.md, "Backup and restore").
/// A backup is a gzip'd tar: <c>manifest.json</c> first (time, audit head, CRL numbers, the SHA-256 of every file), then
/// every file of the folder — each SQLite database as a consistent online snapshot (SQLite's backup API, while servers run),
/// never the CRL cache, spools or lock files, which are rebuilt. A restore checks every hash and the audit chain against the
/// registry before anything reaches the target, and moves the CRL numbers past every number the lost folder can have
/// published, so a relying party never sees a CRL number again or going back.
/// </summary>
public static class AuthorityBackup
{
    /// <summary>The tar entry that describes a backup.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>
    /// How many CRL generations per second per CA the lost folder is assumed to have published at most after the backup:
    /// a restore moves each CRL number ahead by this many per second elapsed since the backup (and past any number it is
    /// shown). The publisher's minimum intervals keep real rates far below it.
    /// </summary>
    public const int MaxCrlGenerationsPerSecond = 16;

    private static readonly string[] Skipped = ["-wal", "-shm", "-journal", ".lock", ".tmp"];

    /// <summary>Writes a backup of <paramref name="dataFolder"/> to <paramref name="output"/>; returns its manifest.</summary>
    /// <exception cref="InvalidOperationException">The folder's registry is not its own SQLite file (PostgreSQL: use pg_dump).</exception>
    public static async Task<BackupManifest> CreateAsync(string dataFolder, Stream output, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(clock);
        var registry = Path.Combine(dataFolder, RegistryFactory.DefaultFileName);
        if (!File.Exists(registry))
        {
            throw new InvalidOperationException($"{dataFolder} has no {RegistryFactory.DefaultFileName}: a registry on PostgreSQL is backed up with pg_dump or pg_basebackup (docs/operations.md).");
        }

        var staging = Path.Combine(Path.GetTempPath(), "jpki-backup-" + Guid.NewGuid().ToString("N"));
        PrivateFiles.CreateFolder(staging);
        try
        {
            var files = new List<BackupFile>();
            var sources = new List<(string Relative, string Path)>();
            foreach (var path in Directory.EnumerateFiles(dataFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(dataFolder, path).Replace('\\', '/');
                if (!Included(relative))
                {
                    continue;
                }

                var source = path;
                if (IsDatabase(path))
                {
                    // A consistent snapshot even while servers write (SQLite's online backup API).
                    source = Path.Combine(staging, Guid.NewGuid().ToString("N") + ".db");
                    PrivateFiles.EnsureDatabaseFile(source);
                    using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                    using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Pooling = false }.ToString());
                    from.Open();
                    to.Open();
                    from.BackupDatabase(to);
                }

                files.Add(new BackupFile(relative, await HashAsync(source, cancellationToken).ConfigureAwait(false), new FileInfo(source).Length));
                sources.Add((relative, source));
            }

            var registrySnapshot = sources.Single(s => s.Relative == RegistryFactory.DefaultFileName).Path;
            var (head, numbers) = await ReadRegistryAsync(registrySnapshot, clock, cancellationToken).ConfigureAwait(false);
            var manifest = new BackupManifest(1, clock.GetUtcNow(), head?.ToString(), numbers, files);

            var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
                await using (tar.ConfigureAwait(false))
                {
                    var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, BackupJson.Options);
                    await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, ManifestName) { DataStream = new MemoryStream(manifestBytes), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite }, cancellationToken).ConfigureAwait(false);
                    foreach (var (relative, source) in sources)
                    {
                        var stream = File.OpenRead(source);
                        await using (stream.ConfigureAwait(false))
                        {
                            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "data/" + relative) { DataStream = stream, Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite }, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }

            return manifest;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Restores <paramref name="backup"/> into <paramref name="dataFolder"/>, which must not exist or be empty — or, with
    /// <paramref name="options"/>.Replace, is moved aside to <c>&lt;folder&gt;.replaced-&lt;time&gt;</c> (its CRL numbers count).
    /// Nothing reaches the target unless every file matches the manifest and the restored registry agrees with its audit
    /// chain. The CRL numbers then move past every number the lost folder can have published, and the restore is recorded
    /// in the audit log (<c>authority.restore</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">Not a backup, a file missing or not matching its hash, or a broken audit chain.</exception>
    /// <exception cref="IOException">The target holds data and Replace was not asked for.</exception>
    public static async Task<RestoreResult> RestoreAsync(Stream backup, string dataFolder, RestoreOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        dataFolder = Path.GetFullPath(dataFolder);
        var occupied = Directory.Exists(dataFolder) && Directory.EnumerateFileSystemEntries(dataFolder).Any();
        if (occupied && !options.Replace)
        {
            throw new IOException($"{dataFolder} is not empty: restore into a new folder, or give --replace to move it aside.");
        }

        var parent = Path.GetDirectoryName(dataFolder.TrimEnd(Path.DirectorySeparatorChar)) ?? Path.GetTempPath();
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(dataFolder) + ".restoring-" + Guid.NewGuid().ToString("N")[..8]);
        PrivateFiles.CreateFolder(staging);
        try
        {
            var manifest = await ExtractAsync(backup, staging, cancellationToken).ConfigureAwait(false);
            var registry = Path.Combine(staging, RegistryFactory.DefaultFileName);

            // The CRL numbers: past the backup's, the replaced folder's, any published CRL shown, and the time since the backup.
            var floor = manifest.CrlNumbers.Values.DefaultIfEmpty(0).Max();
            if (occupied && File.Exists(Path.Combine(dataFolder, RegistryFactory.DefaultFileName)))
            {
                floor = Math.Max(floor, await ReadLastCrlNumberAsync(Path.Combine(dataFolder, RegistryFactory.DefaultFileName), cancellationToken).ConfigureAwait(false));
            }

            floor = Math.Max(floor, options.PublishedCrlNumber);
            var elapsed = Math.Max(0, (long)Math.Ceiling((clock.GetUtcNow() - manifest.CreatedAt).TotalSeconds));
            var next = checked(floor + (elapsed * MaxCrlGenerationsPerSecond) + 1);
            await RaiseCrlNumbersAsync(registry, next - 1, cancellationToken).ConfigureAwait(false);

            AuditVerification verdict;
            var reapplied = 0;
            var store = await RegistryFactory.OpenAsync(RegistryFactory.Resolve(registry, null), clock, migrate: true, cancellationToken).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var before = await store.VerifyWithRegistryAsync(null, cancellationToken).ConfigureAwait(false);
                if (!before.IsIntact)
                {
                    throw Rejected($"The backup's registry does not verify ({before.Kind}): {before.Problem}. Nothing was restored.");
                }

                foreach (var (serialHex, revokedAt, reason) in options.PublishedRevocations)
                {
                    if (SerialNumbers.TryNormalize(serialHex, out var serial) && await store.FindBySerialAsync(serial, cancellationToken).ConfigureAwait(false) is { Revocation: null } record)
                    {
                        var now = clock.GetUtcNow();
                        var entry = new AuditEntry(now, options.Actor, "cert.revoke", serial, JsonSerializer.Serialize(new Dictionary<string, string>
                        {
                            ["kind"] = IssuingCa.SlugOf(record.Kind),
                            ["reason"] = reason.ToString(),
                            ["revokedAt"] = revokedAt.ToString("O", CultureInfo.InvariantCulture),
                            ["source"] = "published CRL, reapplied by restore",
                        }));
                        if (await store.RevokeWithAuditAsync(serial, reason, revokedAt, now, entry, cancellationToken).ConfigureAwait(false) == Contracts.RevokeResult.Revoked)
                        {
                            reapplied++;
                        }
                    }
                }

                var details = JsonSerializer.Serialize(new Dictionary<string, string?>
                {
                    ["backupCreated"] = manifest.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                    ["backupHead"] = manifest.AuditHead,
                    ["nextCrlNumber"] = next.ToString(CultureInfo.InvariantCulture),
                    ["revocationsReapplied"] = reapplied.ToString(CultureInfo.InvariantCulture),
                });
                await store.AppendAsync(new AuditEntry(clock.GetUtcNow(), options.Actor, "authority.restore", "registry", details), cancellationToken).ConfigureAwait(false);
                verdict = await store.VerifyWithRegistryAsync(null, cancellationToken).ConfigureAwait(false);
            }

            SqliteConnection.ClearAllPools();
            string? movedAside = null;
            if (occupied)
            {
                movedAside = dataFolder + ".replaced-" + clock.GetUtcNow().ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture);
                Directory.Move(dataFolder, movedAside);
            }
            else if (Directory.Exists(dataFolder))
            {
                Directory.Delete(dataFolder);
            }

            Directory.Move(staging, dataFolder);
            return new RestoreResult(manifest, next, verdict.Head?.ToString(), movedAside, reapplied);
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Marks the restore's own refusals, so that only what gzip, tar or JSON threw gets wrapped.</summary>
    private const string RejectionMark = "jpki.backup.rejected";

    private static InvalidDataException Rejected(string message, Exception? inner = null)
    {
        var rejection = new InvalidDataException(message, inner);
        rejection.Data[RejectionMark] = true;
        return rejection;
    }

    private static bool Included(string relative)
    {
        var name = Path.GetFileName(relative);
        return !Skipped.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal))
            && !relative.StartsWith("authority/crl/", StringComparison.Ordinal)
            && !relative.Contains("/spool/", StringComparison.Ordinal)
            && !relative.StartsWith("spool/", StringComparison.Ordinal);
    }

    private static bool IsDatabase(string path)
    {
        if (!path.EndsWith(".db", StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> header = stackalloc byte[16];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(header, 16, throwOnEndOfStream: false) == 16 && header.SequenceEqual("SQLite format 3\0"u8);
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<BackupManifest> ExtractAsync(Stream backup, string staging, CancellationToken cancellationToken)
    {
        BackupManifest? manifest = null;
        Dictionary<string, BackupFile> listed = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var gzip = new GZipStream(backup, CompressionMode.Decompress, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarReader(gzip, leaveOpen: true);
                await using (tar.ConfigureAwait(false))
                {
                    while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                        {
                            throw Rejected($"The backup holds '{entry.Name}', which is not a regular file.");
                        }

                        if (manifest is null)
                        {
                            if (entry.Name != ManifestName)
                            {
                                throw Rejected("Not an OpenJpki backup: it does not start with manifest.json.");
                            }

                            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(entry.DataStream, BackupJson.Options, cancellationToken).ConfigureAwait(false)
                                ?? throw Rejected("The backup's manifest is empty.");
                            if (manifest.Version != 1)
                            {
                                throw Rejected($"Backup format version {manifest.Version} is not known to this version of jpki.");
                            }

                            listed = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
                            continue;
                        }

                        var relative = entry.Name.StartsWith("data/", StringComparison.Ordinal) ? entry.Name["data/".Length..] : null;
                        var expected = relative is null ? null : listed.GetValueOrDefault(relative);
                        if (expected is null || !seen.Add(relative!))
                        {
                            throw Rejected($"The backup holds '{entry.Name}', which its manifest does not list (or twice).");
                        }

                        var target = Path.GetFullPath(Path.Combine(staging, relative!));
                        if (!target.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        {
                            throw Rejected($"The backup's path '{relative}' leaves the data folder.");
                        }

                        PrivateFiles.CreateFolder(Path.GetDirectoryName(target)!);
                        var file = new FileStream(target, PrivateFiles.CreateOptions(FileMode.CreateNew));
                        await using (file.ConfigureAwait(false))
                        {
                            await entry.DataStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                        }

                        if (await HashAsync(target, cancellationToken).ConfigureAwait(false) != expected.Sha256)
                        {
                            throw Rejected($"'{relative}' in the backup does not match its SHA-256 in the manifest: the backup is damaged. Nothing was restored.");
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or FormatException || (e is InvalidDataException && !e.Data.Contains(RejectionMark)))
        {
            // gzip, tar or JSON could not read it: corrupt, or not a backup at all.
            throw Rejected($"The backup cannot be read ({e.Message}). Nothing was restored.", e);
        }

        if (manifest is null)
        {
            throw Rejected("Not an OpenJpki backup: it is empty.");
        }

        var missing = manifest.Files.Select(f => f.Path).Where(p => !seen.Contains(p)).ToList();
        if (missing.Count > 0 || !seen.Contains(RegistryFactory.DefaultFileName))
        {
            throw Rejected($"The backup is incomplete: {string.Join(", ", missing.DefaultIfEmpty(RegistryFactory.DefaultFileName))} missing. Nothing was restored.");
        }

        return manifest;
    }

    private static async Task<(AuditHead? Head, Dictionary<string, long> Numbers)> ReadRegistryAsync(string registry, TimeProvider clock, CancellationToken cancellationToken)
    {
        var numbers = new Dictionary<string, long>(StringComparer.Ordinal);
        var store = await RegistryFactory.OpenAsync(RegistryFactory.Resolve(registry, null), clock, migrate: false, cancellationToken).ConfigureAwait(false);
        AuditHead? head;
        await using (store.ConfigureAwait(false))
        {
            head = await store.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = registry, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, last_number FROM crl_numbers";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            numbers[reader.GetInt64(0) == 1 ? "sign" : "auth"] = reader.GetInt64(1);
        }

        return (head, numbers);
    }

    private static async Task<long> ReadLastCrlNumberAsync(string registry, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = registry, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT coalesce(max(last_number), 0) FROM crl_numbers";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            // A damaged registry is why one restores: its numbers are covered by the time-based step.
            return 0;
        }
    }

    private static async Task RaiseCrlNumbersAsync(string registry, long last, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = registry, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO crl_numbers (kind, last_number) VALUES (1, $last), (2, $last)
            ON CONFLICT (kind) DO UPDATE SET last_number = max(last_number, excluded.last_number)
            """;
        command.Parameters.AddWithValue("$last", last);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
