using System.Globalization;
using Jpki.Authority.Registry.Postgres;
using Jpki.Authority.Registry.Sqlite;
using Npgsql;

namespace Jpki.Authority.Registry;

/// <summary>
/// Opens the registry store named by a setting (docs/registry.md): a data folder (→ <c>registry.db</c> inside it) or
/// a <c>.db</c> file → SQLite; an Npgsql connection string (<c>Host=…</c>) or a <c>postgres://</c> /
/// <c>postgresql://</c> URL → PostgreSQL. The environment variable <c>JPKI_REGISTRY</c>, when set, overrides the
/// setting.
/// </summary>
public static class RegistryFactory
{
    /// <summary>The environment variable that overrides the configured setting.</summary>
    public const string EnvironmentVariable = "JPKI_REGISTRY";

    /// <summary>The SQLite file name inside a data folder.</summary>
    public const string DefaultFileName = "registry.db";

    /// <summary>Resolves <paramref name="setting"/>, or <c>JPKI_REGISTRY</c> when that is set.</summary>
    /// <exception cref="ArgumentException">Neither is set, or the value is not a path, connection string or URL.</exception>
    public static RegistryLocation Resolve(string? setting) =>
        Resolve(setting, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>
    /// Opens the store that <paramref name="setting"/> (or <c>JPKI_REGISTRY</c>) names and applies the schema
    /// migrations. Dispose the store to close it.
    /// </summary>
    /// <exception cref="ArgumentException">The setting is not understood.</exception>
    public static Task<IRegistryStore> OpenAsync(string? setting, TimeProvider clock, CancellationToken cancellationToken) =>
        OpenAsync(Resolve(setting), clock, migrate: true, cancellationToken);

    /// <summary>Opens the store at <paramref name="location"/>; applies the migrations when <paramref name="migrate"/>.</summary>
    public static async Task<IRegistryStore> OpenAsync(RegistryLocation location, TimeProvider clock, bool migrate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(clock);
        IRegistryStore store = location.Engine == RegistryEngine.Postgres
            ? PostgresRegistryStore.Open(location.Target, location.Description, clock)
            : await SqliteRegistryStore.OpenAsync(location.Target, clock, cancellationToken).ConfigureAwait(false);
        if (migrate)
        {
            try
            {
                await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await store.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return store;
    }

    /// <summary>
    /// Resolves <paramref name="environmentOverride"/> when it is set, else <paramref name="setting"/>. Pass null as
    /// the override when the setting came from an explicit command-line option, which beats the environment.
    /// </summary>
    /// <exception cref="ArgumentException">Neither is set, or the value is not a path, connection string or URL.</exception>
    public static RegistryLocation Resolve(string? setting, string? environmentOverride)
    {
        var value = string.IsNullOrWhiteSpace(environmentOverride) ? setting : environmentOverride;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"No registry configured: give a data folder, a .db file, a PostgreSQL connection string or URL, or set {EnvironmentVariable}.", nameof(setting));
        }

        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return Postgres(FromUrl(value));
        }

        if (value.StartsWith("host=", StringComparison.OrdinalIgnoreCase) || value.StartsWith("server=", StringComparison.OrdinalIgnoreCase))
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(value);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Not a valid PostgreSQL connection string: {ex.Message}", nameof(setting));
            }

            return Postgres(builder);
        }

        var path = Path.GetFullPath(value);
        var isFile = File.Exists(path)
            || (!Directory.Exists(path) && (path.EndsWith(".db", StringComparison.OrdinalIgnoreCase)
                || path.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase)
                || path.EndsWith(".sqlite3", StringComparison.OrdinalIgnoreCase)));
        var file = isFile ? path : Path.Combine(path, DefaultFileName);
        return new RegistryLocation(RegistryEngine.Sqlite, file, file);
    }

    private static RegistryLocation Postgres(NpgsqlConnectionStringBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException("The PostgreSQL connection string names no host.", "setting");
        }

        var description = string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"}");
        return new RegistryLocation(RegistryEngine.Postgres, builder.ConnectionString, description);
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("Not a valid postgres:// URL.", "setting");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var val = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = val;
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"Unknown PostgreSQL URL parameter '{key}'.", "setting");
            }
        }

        return builder;
    }
}
