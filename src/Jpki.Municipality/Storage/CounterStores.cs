namespace Jpki.Municipality.Storage;

/// <summary>Opens the counter's store. Call <see cref="ICounterStore.MigrateAsync"/> next.</summary>
public static class CounterStores
{
    /// <summary>The default file name in the data folder.</summary>
    public const string DefaultFileName = "counter.db";

    /// <summary>The embedded SQLite store at <paramref name="path"/> (created if missing).</summary>
    public static ICounterStore OpenSqlite(string path) => SqliteCounterStore.Open(path);

    /// <summary>The PostgreSQL store behind <paramref name="connectionString"/>.</summary>
    public static ICounterStore OpenPostgres(string connectionString) => PostgresCounterStore.Open(connectionString);
}
