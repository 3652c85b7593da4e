using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Jpki.Server.Tests.Robustness;

/// <summary>
/// What a server has stored in its data folder: the row count of every table of every SQLite file (counter store with
/// its journal, staff and residents; authority registry; e-application store), the SHA-256 of every virtual card file,
/// and the names of all other files. Two equal snapshots around a rejected request show that nothing was stored.
/// </summary>
internal sealed record DataSnapshot(IReadOnlyDictionary<string, string> Items)
{
    public static async Task<DataSnapshot> TakeAsync(string dataDirectory)
    {
        var items = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(dataDirectory, file);
            if (name.EndsWith("-wal", StringComparison.Ordinal) || name.EndsWith("-shm", StringComparison.Ordinal) || name.EndsWith("-journal", StringComparison.Ordinal))
            {
                continue;
            }

            if (name.EndsWith(".db", StringComparison.Ordinal))
            {
                await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                await connection.OpenAsync();
                var tables = new List<string>();
                await using (var list = connection.CreateCommand())
                {
                    list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                    await using var reader = await list.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        tables.Add(reader.GetString(0));
                    }
                }

                foreach (var table in tables)
                {
                    await using var count = connection.CreateCommand();
                    count.CommandText = $"SELECT count(*) FROM \"{table}\"";
                    items[$"{name}:{table}"] = Convert.ToString(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
                }
            }
            else if (name.EndsWith(".jpkicard", StringComparison.Ordinal))
            {
                items[name] = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file)));
            }
            else
            {
                items[name] = "file";
            }
        }

        return new DataSnapshot(items);
    }

    /// <summary>The snapshot without one item (e.g. the journal, which records refusals by design).</summary>
    public DataSnapshot Without(string key) => new(Items.Where(i => i.Key != key).ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal));

    /// <summary>The differences, one per line (empty when equal), for an assertion message.</summary>
    public string Diff(DataSnapshot after)
    {
        var keys = Items.Keys.Union(after.Items.Keys).Order(StringComparer.Ordinal);
        return string.Join("\n", keys
            .Where(k => !Items.TryGetValue(k, out var a) || !after.Items.TryGetValue(k, out var b) || a != b)
            .Select(k => $"{k}: {Items.GetValueOrDefault(k, "-")} → {after.Items.GetValueOrDefault(k, "-")}"));
    }
}
