using System.Net.Sockets;
using Jpki.Authority.Keys;
using Jpki.Server.Errors;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Jpki.Server.Tests.Faults;

/// <summary>Which exceptions are a failing dependency (503 / 507) and which stay a bug (null → 500).</summary>
public sealed class DependencyFailuresTests
{
    public static TheoryData<string, Exception, string?, int?> Cases => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), DependencyFailures.Database, 503 },
        { "admin shutdown", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), DependencyFailures.Database, 503 },
        { "cannot connect now", new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), DependencyFailures.Database, 503 },
        { "connection failure", new PostgresException("connection failure", "FATAL", "FATAL", "08006"), DependencyFailures.Database, 503 },
        { "postgres disk full", new PostgresException("could not extend file", "ERROR", "ERROR", "53100"), DependencyFailures.Database, 507 },
        { "unique violation is a bug", new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), null, null },
        { "syntax error is a bug", new PostgresException("syntax error", "ERROR", "ERROR", "42601"), null, null },
        { "sqlite full", new SqliteException("database or disk is full", 13), DependencyFailures.Database, 507 },
        { "sqlite busy", new SqliteException("database is locked", 5), DependencyFailures.Database, 503 },
        { "sqlite i/o error", new SqliteException("disk I/O error", 10), DependencyFailures.Database, 503 },
        { "sqlite constraint is a bug", new SqliteException("UNIQUE constraint failed", 19), null, null },
        { "no space left", new IOException("No space left on device", 28), DependencyFailures.DataFolder, 507 },
        { "other i/o error is not classified", new IOException("Input/output error", 5), null, null },
        { "token gone", new Pkcs11KeyException("The PKCS#11 token 'x' is not present."), DependencyFailures.Token, 503 },
        { "wrapped", new InvalidOperationException("outer", new NpgsqlException("inner")), DependencyFailures.Database, 503 },
        { "aggregate", new AggregateException(new SqliteException("full", 13)), DependencyFailures.Database, 507 },
        { "a bug", new NullReferenceException(), null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Exception_DependencyAndStatus(string name, Exception exception, string? dependency, int? status)
    {
        var failure = DependencyFailures.Classify(exception);
        Assert.True(dependency == failure?.Dependency, name);
        Assert.True(status == failure?.StatusCode, name);
    }
}
