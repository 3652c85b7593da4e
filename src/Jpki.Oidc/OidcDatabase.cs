using System.Data.Common;
using Jpki.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Oidc;

/// <summary>
/// <c>oidc.db</c> (OpenIddict's tables): WAL, <c>synchronous=FULL</c> (a redeemed code stays redeemed after a power cut)
/// and SQLite's own busy handler on every connection, like the other SQLite stores of the server.
/// </summary>
internal static class OidcDatabase
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "oidc.db");

    public static void Configure(DbContextOptionsBuilder builder, string dataDirectory)
    {
        builder.UseSqlite($"Data Source={PathIn(dataDirectory)};Default Timeout=30");
        builder.AddInterceptors(ConnectionPragmas.Instance);
        builder.UseOpenIddict();
    }

    /// <summary>Startup is synchronous in the host; creating the tables once is quick.</summary>
    public static void EnsureCreated(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<OidcDbContext>();
        PrivateFiles.EnsureDatabaseFile(context.Database.GetDbConnection().DataSource);
        context.Database.EnsureCreated();
        // WAL: the server and `jpki oidc client` may use the file at once.
        context.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    /// <summary>
    /// Sets the per-connection pragmas when EF Core opens a connection. <c>busy_timeout</c> matters for speed: without it
    /// a write that meets another writer's lock returns SQLITE_BUSY to Microsoft.Data.Sqlite, whose retry loop sleeps
    /// 150 ms per attempt (on a thread-pool thread); with it SQLite waits inside the call in steps of 1–100 ms. Four
    /// concurrent token requests collided so often that <c>/oidc/token</c> served ≈ 15 tokens/s (docs/benchmarks.md).
    /// </summary>
    private sealed class ConnectionPragmas : DbConnectionInterceptor
    {
        public static readonly ConnectionPragmas Instance = new();
        private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
