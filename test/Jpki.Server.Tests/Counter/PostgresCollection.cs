namespace Jpki.Server.Tests.Counter;

/// <summary>One PostgreSQL server for the server tests that need one.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "server-postgres";
}
