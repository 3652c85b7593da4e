using Jpki.Municipality.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jpki.OnlineApplication;

/// <summary>Registers and maps the online application service (<c>/e-application/</c>) in any ASP.NET Core host.</summary>
public static class OnlineApplicationSetup
{
    /// <summary>
    /// Registers the application store (<c>eapp.db</c> in <paramref name="dataDirectory"/> unless
    /// <see cref="OnlineApplicationOptions.DatabasePath"/>), the resident directory (the host's <see cref="ICounterStore"/>
    /// when it registered one, else <c>counter.db</c>) and the signature verifier over <paramref name="trust"/>. Needs a
    /// <see cref="TimeProvider"/> in the container.
    /// </summary>
    public static IServiceCollection AddOnlineApplication(this IServiceCollection services, string dataDirectory, OnlineApplicationTrust trust)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(trust);
        services.TryAddSingleton(new OnlineApplicationOptions());
        services.TryAddSingleton<IApplicationStore>(sp =>
            new SqliteApplicationStore(sp.GetRequiredService<OnlineApplicationOptions>().DatabasePath ?? Path.Combine(dataDirectory, "eapp.db")));
        // The counter's shared store when the host has one; else our own on counter.db.
        services.TryAddSingleton<IResidentDirectory>(sp =>
            sp.GetRequiredService<OnlineApplicationOptions>().ResidentDatabasePath is null && sp.GetService<ICounterStore>() is { } shared
                ? new CounterResidentDirectory(shared, ownsStore: false)
                : new CounterResidentDirectory(
                    CounterStores.OpenSqlite(sp.GetRequiredService<OnlineApplicationOptions>().ResidentDatabasePath ?? Path.Combine(dataDirectory, CounterStores.DefaultFileName)),
                    ownsStore: true));
        services.AddSingleton(sp => new SignedRequestVerifier(trust, sp.GetRequiredService<TimeProvider>(), sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Maps the citizen pages and, when <paramref name="staffPolicy"/> names an authorization policy of the host, the
    /// staff queue under it (else the queue answers 503). <paramref name="protectStateChange"/> is applied to every
    /// state-changing staff endpoint (the host's CSRF check).
    /// </summary>
    public static IEndpointRouteBuilder MapOnlineApplication(this IEndpointRouteBuilder endpoints, string? staffPolicy, Func<RouteHandlerBuilder, RouteHandlerBuilder> protectStateChange)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(protectStateChange);
        // Startup is synchronous in the hosts; creating two tables once is quick.
        endpoints.ServiceProvider.GetRequiredService<IApplicationStore>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        endpoints.MapCitizenPages();
        endpoints.MapStaffQueue(staffPolicy, protectStateChange);
        return endpoints;
    }
}
