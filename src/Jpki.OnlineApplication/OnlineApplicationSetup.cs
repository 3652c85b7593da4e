using Jpki.Authority.Ca;
using Jpki.Municipality.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jpki.Server.OnlineApplication;

/// <summary>Registers and maps the online application service (<c>/e-application/</c>).</summary>
internal static class OnlineApplicationSetup
{
    public static IServiceCollection AddOnlineApplication(this IServiceCollection services, JpkiServerOptions options, AuthorityRuntime authority)
    {
        services.TryAddSingleton(new OnlineApplicationOptions());
        services.TryAddSingleton<IApplicationStore>(sp =>
            new SqliteApplicationStore(sp.GetRequiredService<OnlineApplicationOptions>().DatabasePath ?? Path.Combine(options.DataDirectory, "eapp.db")));
        // The counter's shared store when the server has one (the counter's web part registers it); else our own on counter.db.
        services.TryAddSingleton<IResidentDirectory>(sp =>
            sp.GetRequiredService<OnlineApplicationOptions>().ResidentDatabasePath is null && sp.GetService<ICounterStore>() is { } shared
                ? new CounterResidentDirectory(shared, ownsStore: false)
                : new CounterResidentDirectory(
                    CounterStores.OpenSqlite(sp.GetRequiredService<OnlineApplicationOptions>().ResidentDatabasePath ?? Path.Combine(options.DataDirectory, "counter.db")),
                    ownsStore: true));
        services.AddSingleton(sp => new SignedRequestVerifier(authority, sp.GetRequiredService<TimeProvider>()));
        // The staff queue needs the staff policies (StaffPolicies), which the staff sign-in of the counter's web part defines.
        return services;
    }

    public static WebApplication MapOnlineApplication(this WebApplication app)
    {
        // Startup is synchronous in JpkiServerHost; creating two tables once is quick.
        app.Services.GetRequiredService<IApplicationStore>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        app.MapCitizenPages();
        app.MapStaffQueue();
        return app;
    }
}
