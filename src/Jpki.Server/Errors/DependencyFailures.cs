using System.Data.Common;
using Jpki.Authority.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Net.Pkcs11Interop.Common;
using Npgsql;

namespace Jpki.Server.Errors;

/// <summary>
/// Tells a failing dependency from a bug: walks an exception and its inner exceptions and answers what is down, or
/// null when the exception is not a dependency failure (a bug stays a 500).
/// </summary>
internal static class DependencyFailures
{
    public const string Database = "database";
    public const string DataFolder = "data-folder";
    public const string Token = "pkcs11-token";
    public const string CrlPublication = "crl-publication";

    // Linux errno values .NET puts in IOException.HResult for a full file system or an exceeded quota.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;

    // SQLite primary result codes (https://sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    public static DependencyFailure? Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : current.InnerException)
        {
            if (ClassifyOne(current) is { } failure)
            {
                return failure;
            }
        }

        // No CRL published and no dependency to blame (the first publication is still being built): try again shortly.
        return exception is Jpki.Authority.Crl.CrlNotPublishedException
            ? Unavailable(CrlPublication, "No CRL is published yet; the publisher is building it.")
            : null;
    }

    private static DependencyFailure? ClassifyOne(Exception exception) => exception switch
    {
        PostgresException postgres => FromSqlState(postgres.SqlState),
        NpgsqlException => Unavailable(Database, "The database (PostgreSQL) cannot be reached."),
        SqliteException { SqliteErrorCode: SqliteFull } => Full(Database, "The database's disk is full."),
        SqliteException { SqliteErrorCode: SqliteIoError } => Unavailable(Database, "The database (SQLite) could not read or write its file."),
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked or SqliteCantOpen } => Unavailable(Database, "The database (SQLite) is busy or cannot be opened."),
        IOException { HResult: NoSpace or QuotaExceeded } => Full(DataFolder, "The data folder's disk is full."),
        Pkcs11KeyException or Pkcs11Exception or UnmanagedException => Unavailable(Token, "The CA key's PKCS#11 token is not available."),
        Jpki.Authority.Crl.CrlCoverageException => Unavailable(CrlPublication, "The CRL publisher refused to publish (its coverage check failed); see the server log."),
        TimeoutException when exception.InnerException is DbException => Unavailable(Database, "The database did not answer in time."),
        _ => null,
    };

    /// <summary>
    /// PostgreSQL error classes that mean "the server cannot do it now" (not a constraint or a bug): 08 connection,
    /// 53 insufficient resources (53100 disk full), 57P01–57P05 shutdown / cannot connect now, 58 system error.
    /// </summary>
    private static DependencyFailure? FromSqlState(string sqlState) => sqlState switch
    {
        "53100" => Full(Database, "The database's disk is full."),
        _ when sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal)
            || sqlState.StartsWith("58", StringComparison.Ordinal) => Unavailable(Database, "The database (PostgreSQL) is not available."),
        _ => null,
    };

    private static DependencyFailure Unavailable(string dependency, string detail) => new(dependency, StatusCodes.Status503ServiceUnavailable, detail);

    private static DependencyFailure Full(string dependency, string detail) => new(dependency, StatusCodes.Status507InsufficientStorage, detail);
}
