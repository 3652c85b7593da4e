namespace Jpki.Authority.Registry;

/// <summary>One numbered schema migration: applied once, in order, recorded in <c>schema_version</c>.</summary>
/// <param name="Version">The version the schema has after this migration (1, 2, …, no gaps).</param>
/// <param name="Name">What it does, for people reading <c>schema_version</c>.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
internal sealed record SchemaMigration(int Version, string Name, string Sql);
