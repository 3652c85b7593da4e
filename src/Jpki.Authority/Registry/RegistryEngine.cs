namespace Jpki.Authority.Registry;

/// <summary>The database engine of a registry store.</summary>
public enum RegistryEngine
{
    /// <summary>An embedded SQLite file in the data folder (the default).</summary>
    Sqlite = 1,

    /// <summary>A PostgreSQL server, reached through Npgsql.</summary>
    Postgres = 2,
}
