using Jpki.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Oidc;

/// <summary>Creates <c>oidc.db</c> (OpenIddict's tables) when it does not exist.</summary>
internal static class OidcDatabase
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "oidc.db");

    public static void Configure(DbContextOptionsBuilder builder, string dataDirectory)
    {
        builder.UseSqlite($"Data Source={PathIn(dataDirectory)};Default Timeout=30");
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
}
